"""kind "language": the letter is in a language the facility does not accept, or unclear.

Rule keys: ``languages`` (optional list of ISO 639-1 codes; the facility's own list is used
when absent), ``severity`` (default info: a translator will translate it after approval),
``unknown_severity`` (default warning: no language could be identified).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from letters.screening.base import Context, Hit, InvalidRule, register, rule_code, severity


@register
class LanguageCheck:
    kind = "language"

    def validate(self, rule: Mapping[str, Any]) -> None:
        languages = rule.get("languages", [])
        if not isinstance(languages, list) or not all(isinstance(c, str) for c in languages):
            raise InvalidRule("'languages' must be a list of ISO 639-1 codes")
        severity(rule, "info")
        severity({"severity": rule.get("unknown_severity")}, "warning")

    def check(self, context: Context, rule: Mapping[str, Any]) -> list[Hit]:
        code = rule_code(rule, "language")
        if not context.language:
            return [
                Hit(
                    f"{code}.unknown",
                    severity({"severity": rule.get("unknown_severity")}, "warning"),
                    "No language could be identified: the censor may treat the text as code.",
                )
            ]
        accepted = tuple(rule.get("languages") or context.accepted_languages)
        if not accepted or context.language in accepted:
            return []
        return [
            Hit(
                f"{code}.not_accepted",
                severity(rule, "info"),
                f"Written in '{context.language}'; the facility accepts "
                f"{', '.join(accepted)}: it needs a translation.",
            )
        ]
