"""Which language a letter is written in (ISO 639-1), with the lingua library.

The detector only chooses among `CANDIDATES`: the languages supporters of Lantern's
marathons write in and the prisons' languages. A short or mixed text where no language
is clearly ahead gives "" (unknown), which screening reports to the moderator.
"""

from __future__ import annotations

from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

CANDIDATES = (
    "en", "ru", "be", "uk", "pl", "de", "fr", "es", "it", "pt", "nl", "cs", "sk", "lt", "lv",
    "et", "sv", "da", "nb", "fi", "hu", "ro", "bg", "sr", "hr", "sl", "ka", "hy", "el", "tr",
    "ja", "ko", "zh",
)  # fmt: skip
MIN_CONFIDENCE = 0.5


@cache
def _detector() -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in CANDIDATES]
    # Low-accuracy mode uses the trigram models only: about 50 MB and a second to load, where
    # the full models take over 600 MB and ten seconds, and letters are long enough for it.
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language, or "" when no language is clearly ahead."""
    if not text.strip():
        return ""
    confidences = _detector().compute_language_confidence_values(text)
    if not confidences or confidences[0].value < MIN_CONFIDENCE:
        return ""
    return str(confidences[0].language.iso_code_639_1.name.lower())
