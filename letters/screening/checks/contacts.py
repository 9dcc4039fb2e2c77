"""kind "contact_data": phone numbers, links, e-mail and postal addresses, messenger handles.

Censors stop letters with contact data, and such data can endanger the writer. Rule keys:
``severity`` (default block), ``message``, ``find`` (optional subset of
["phone", "link", "email", "address", "handle"]).
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

_TLDS = "com|org|net|info|io|eu|ru|by|ua|pl|de|uk|me|su|fm|tv|cz|lt|lv"
PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "email": (
        re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE),
        "An e-mail address.",
    ),
    "link": (
        re.compile(
            rf"(?:(?:https?://|www\.)\S+?|\b[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b(?:/\S*?)?)"
            r"(?=[.,;:!?)»\"']*(?:\s|$))",
            re.IGNORECASE,
        ),
        "A link to a web site.",
    ),
    "phone": (
        re.compile(r"(?<![\w+])\+?\d(?:[\s().-]{0,2}\d){8,14}(?!\w)"),
        "A phone number.",
    ),
    "handle": (
        re.compile(r"(?<![\w@.])@[A-Za-z_][\w]{3,}"),
        "A messenger or social network handle.",
    ),
    "address": (
        re.compile(
            r"\b(?:ул|улица|пр-т|проспект|пер|переулок|вул|вуліца|вулиця|завулак|провулок"
            r"|ul|ulica|al|aleja|os|street|st|avenue|ave|road|rd)\b\.?\s+"
            r"[^\d\n,.;]{2,40}?,?\s*(?:д\.?\s*|дом\s+)?\d+[a-zа-я]?\b"
            r"|\b\d{2}-\d{3}\b(?=\s+\w)"
            r"|(?<![\d-])\b\d{6}\b(?=,?\s*(?:г\.|м\.|город|горад|місто|[А-ЯЁІЎЄЇ]))",
            re.IGNORECASE,
        ),
        "A postal address.",
    ),
}


@register
class ContactDataCheck:
    kind = "contact_data"

    def validate(self, rule: Mapping[str, Any]) -> None:
        find = rule.get("find", [])
        if not isinstance(find, list) or not all(isinstance(name, str) for name in find):
            raise InvalidRule(f"'find' must be a list of kinds: {', '.join(PATTERNS)}")
        unknown = set(find) - set(PATTERNS)
        if unknown:
            raise InvalidRule(f"unknown contact data kinds: {', '.join(sorted(unknown))}")
        severity(rule, "block")

    def check(self, context: Context, rule: Mapping[str, Any]) -> list[Hit]:
        wanted = rule.get("find") or list(PATTERNS)
        code = rule_code(rule, "contact_data")
        taken: list[tuple[int, int]] = []
        hits: list[Hit] = []
        for name in PATTERNS:  # e-mail before link, so an address is not also a link
            if name not in wanted:
                continue
            pattern, why = PATTERNS[name]
            for m in pattern.finditer(context.text):
                start, end = m.start(), m.end()
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                hits.append(
                    Hit(
                        f"{code}.{name}",
                        severity(rule, "block"),
                        message(rule, why),
                        start=start,
                        end=end,
                        matched_text=m.group(),
                    )
                )
        return sorted(hits, key=lambda h: h.start or 0)
