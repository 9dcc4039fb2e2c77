"""Reducing words to stems so that one list entry matches every inflected form.

Russian, English and Polish use the Snowball stemmers (`snowballstemmer`). Snowball has no
Ukrainian or Belarusian stemmer and no well-kept one exists on PyPI, so for those two this
module strips the longest matching inflectional ending from a short list (noun, adjective
and verb endings), keeping at least three letters. It is deliberately light: it merges the
case forms of one word (війна, війни, війною → війн; мабілізацыя, мабілізацыі → мабілізац) and
rarely merges different words, which is what matching a banned-topic list needs.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import snowballstemmer

SNOWBALL = {"ru": "russian", "en": "english", "pl": "polish"}

_UK_ENDINGS = str.split(
    "ами ями ові еві ого ому ими іми ній ться ись ів їв ою ею ах ях ам ям ом ем ий ій ої ий "
    "ти ла ли ло ть а я и і ї е є у ю о ь й"
)
_BE_ENDINGS = str.split(
    "ымі амі ямі аму яму ога ага ому ыма цца цся аў яў оў ая ое ыя ых ым ой ай ей ую юю ом ам ям "
    "ах ях ою яю ць ла лі ло а я ы і е у ю о ь й"
)
SUFFIX_ENDINGS = {
    "uk": tuple(sorted(set(_UK_ENDINGS), key=len, reverse=True)),
    "be": tuple(sorted(set(_BE_ENDINGS), key=len, reverse=True)),
}
MIN_STEM = 3
_SOFT_TAIL = frozenset("ыіиьйї")

LANGUAGES = (*SNOWBALL, *SUFFIX_ENDINGS)
CYRILLIC_LANGUAGES = ("ru", "be", "uk")
LATIN_LANGUAGES = ("en", "pl")

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "ё": "е"})
WORD = re.compile(r"\w+(?:'\w+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def normalize(text: str) -> str:
    """Lower case, one apostrophe, ё as е. Keeps the length, so offsets stay valid: the few
    characters whose lower case is longer (İ becomes i and a dot) are kept as they are."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(low := c.lower()) != 1 else low for c in text)
    return lowered.translate(_APOSTROPHES)


_per_thread = threading.local()


def _snowball(language: str) -> Any:
    """A stemmer of this thread's own: a Snowball stemmer keeps the word it works on in the
    instance, so two threads sharing one (the server's threads screening two letters at
    once) corrupt each other's words and fail."""
    stemmers: dict[str, Any] = _per_thread.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(SNOWBALL[language])
    return stemmers[language]


def stem(word: str, language: str) -> str:
    """The stem of one normalized word in `language` (ru, en, pl, uk, be)."""
    if language in SNOWBALL:
        return str(_snowball(language).stemWord(word))
    for ending in SUFFIX_ENDINGS[language]:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            word = word[: -len(ending)]
            break
    # A soft sign or stem vowel left over (мабілізацыі → мабілізацы) goes too.
    if word[-1:] in _SOFT_TAIL and len(word) > MIN_STEM:
        word = word[:-1]
    return word


def languages_for_word(word: str) -> tuple[str, ...]:
    """Which stemmers to try for a word: the languages written in its script."""
    return CYRILLIC_LANGUAGES if _CYRILLIC.search(word) else LATIN_LANGUAGES
