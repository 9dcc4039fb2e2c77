"""Words a censor may read as a code.

kind "code_words": tokens mixing letters and digits (A7, x5z) and long digit runs that are
not phone numbers. kind "foreign_script": words in Latin script inside a letter written in a
Cyrillic language; censors in Belarus and Russia stop foreign
words they cannot read. Rule keys: ``severity`` (default warning), ``message``,
``allow`` (words never flagged, e.g. a name in Latin script the facility knows).
"""

from __future__ import annotations

import re
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
from letters.screening.stemming import CYRILLIC_LANGUAGES

_MIXED = re.compile(r"\b(?=\w*\d)(?=\w*[^\W\d_])\w{2,}\b")
_DIGITS = re.compile(r"(?<![\d+])(?<!\d[\s().-])\b\d{5,}\b(?![\s().-]?\d)")
_LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z'-]*[A-Za-z]\b")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th|-?(?:й|я|е|го|ї|ого|ая|ы|і))$", re.IGNORECASE)


def _allowed(rule: Mapping[str, Any]) -> set[str]:
    return {str(w).lower() for w in rule.get("allow", [])}


def _validate_allow(rule: Mapping[str, Any]) -> None:
    allow = rule.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(w, str) for w in allow):
        raise InvalidRule("'allow' must be a list of words")
    severity(rule, "warning")


def _hits(
    context: Context, rule: Mapping[str, Any], code: str, why: str, matches: list[re.Match[str]]
) -> list[Hit]:
    allowed = _allowed(rule)
    return [
        Hit(
            code,
            severity(rule, "warning"),
            message(rule, why),
            start=m.start(),
            end=m.end(),
            matched_text=m.group(),
        )
        for m in matches
        if m.group().lower() not in allowed
    ]


@register
class CodeWordsCheck:
    kind = "code_words"

    def validate(self, rule: Mapping[str, Any]) -> None:
        _validate_allow(rule)

    def check(self, context: Context, rule: Mapping[str, Any]) -> list[Hit]:
        mixed = [m for m in _MIXED.finditer(context.text) if not _ORDINAL.match(m.group())]
        digits = list(_DIGITS.finditer(context.text))
        return _hits(
            context,
            rule,
            rule_code(rule, "code_words"),
            "Letters and digits mixed, or a long number: it may read as a code.",
            sorted(mixed + digits, key=lambda m: m.start()),
        )


@register
class ForeignScriptCheck:
    kind = "foreign_script"

    def validate(self, rule: Mapping[str, Any]) -> None:
        _validate_allow(rule)

    def check(self, context: Context, rule: Mapping[str, Any]) -> list[Hit]:
        if context.language not in CYRILLIC_LANGUAGES:
            return []  # a letter in a Latin-script language is translated as a whole
        return _hits(
            context,
            rule,
            rule_code(rule, "foreign_script"),
            "A word in Latin script: the censor may take it for a code.",
            list(_LATIN_WORD.finditer(context.text)),
        )
