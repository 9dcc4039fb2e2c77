"""kind "banned_words": topics the censor stops, as word lists matched by stem.

Rule keys: ``code`` (e.g. "war"), ``severity``, ``message`` (why, shown to the moderator),
``words``: an object from language (ru, be, uk, pl, en) to a list of words or phrases in
their dictionary form. Each word of the letter is stemmed in the languages of its script
(Cyrillic: ru, be, uk; Latin: en, pl) and compared with the stemmed list, so "войне",
"вайной" and "wars" match "война", "вайна" and "war". A phrase matches its words in a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from letters.screening.base import (
    Context,
    Hit,
    InvalidRule,
    message,
    register,
    rule_code,
    severity,
)
from letters.screening.stemming import LANGUAGES, WORD, languages_for_word, normalize, stem

Phrase = tuple[str, ...]


def _phrases(rule: Mapping[str, Any]) -> dict[str, set[Phrase]]:
    """Stemmed phrases per language."""
    out: dict[str, set[Phrase]] = {}
    for language, entries in rule["words"].items():
        out[language] = {
            tuple(stem(w, language) for w in WORD.findall(normalize(entry)))
            for entry in entries
            if WORD.search(entry)
        }
    return out


@register
class BannedWordsCheck:
    kind = "banned_words"

    def validate(self, rule: Mapping[str, Any]) -> None:
        words = rule.get("words")
        if not isinstance(words, dict) or not words:
            raise InvalidRule(f"rule {rule.get('code')!r} needs 'words': {{language: [words]}}")
        for language, entries in words.items():
            if language not in LANGUAGES:
                raise InvalidRule(f"no stemmer for {language!r}; use one of {', '.join(LANGUAGES)}")
            if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
                raise InvalidRule(f"'words.{language}' must be a list of words")
        if not rule.get("code"):
            raise InvalidRule("a banned_words rule needs a 'code', e.g. \"war\"")
        severity(rule, "warning")

    def check(self, context: Context, rule: Mapping[str, Any]) -> list[Hit]:
        phrases = _phrases(rule)
        tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(normalize(context.text))]
        stems = [
            {lang: stem(word, lang) for lang in languages_for_word(word) if lang in phrases}
            for _, _, word in tokens
        ]
        code = f"banned_topic.{rule_code(rule, 'words')}"
        default = "A topic the censor stops."
        hits: list[Hit] = []
        i = 0
        while i < len(tokens):
            length = _longest_match(stems, i, phrases)
            if length:
                start, end = tokens[i][0], tokens[i + length - 1][1]
                hits.append(
                    Hit(
                        code,
                        severity(rule, "warning"),
                        message(rule, default),
                        start=start,
                        end=end,
                        matched_text=context.text[start:end],
                    )
                )
                i += length
            else:
                i += 1
        return hits


def _longest_match(stems: list[dict[str, str]], i: int, phrases: dict[str, set[Phrase]]) -> int:
    best = 0
    for language, entries in phrases.items():
        for phrase in entries:
            n = len(phrase)
            if n <= best or i + n > len(stems):
                continue
            if all(stems[i + k].get(language) == phrase[k] for k in range(n)):
                best = n
    return best
