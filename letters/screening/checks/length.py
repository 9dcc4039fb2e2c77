"""kind "length": the letter is longer than the facility passes on.

Rule keys: ``max_chars`` (letters), ``postcard_max_chars`` (postcards). The facility's own
maximum applies too; the smallest limit wins. The finding covers the text past the limit.
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


@register
class LengthCheck:
    kind = "length"

    def validate(self, rule: Mapping[str, Any]) -> None:
        for key in ("max_chars", "postcard_max_chars"):
            value = rule.get(key)
            whole = isinstance(value, int) and not isinstance(value, bool)
            if value is not None and (not whole or value <= 0):
                raise InvalidRule(f"'{key}' must be a positive whole number")
        severity(rule, "warning")

    def check(self, context: Context, rule: Mapping[str, Any]) -> list[Hit]:
        key = "postcard_max_chars" if context.kind == "postcard" else "max_chars"
        limits = [n for n in (rule.get(key), context.max_length_chars) if n]
        if not limits:
            return []
        limit = min(limits)
        if len(context.text) <= limit:
            return []
        default = f"Longer than {limit} characters; the facility may not pass it on."
        return [
            Hit(
                rule_code(rule, "length"),
                severity(rule, "warning"),
                message(rule, default),
                start=limit,
                end=len(context.text),
                matched_text=context.text[limit : limit + 60],
            )
        ]
