"""Screening letters against rulebooks kept as data.

`screen(text, ...)` runs every rule of the given rulebooks through the check registered for
its kind (`letters.screening.checks`) and returns what they found, each with the exact
offsets of the words that triggered it. `validate_rules` is what the admin calls before it
saves a rulebook. See docs/SCREENING.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from letters.screening import checks as _checks  # noqa: F401 - registers the built-in kinds
from letters.screening.base import Context, Hit, InvalidRule, checks

__all__ = ["Context", "Hit", "InvalidRule", "RuleSource", "screen", "validate_rules"]


@dataclass(frozen=True)
class RuleSource:
    """Rules and the rulebook version they came from (recorded on each finding)."""

    rules: Sequence[Mapping[str, Any]]
    version: int | None = None


def validate_rules(rules: Any) -> None:
    """Raise InvalidRule with a readable message if any rule cannot be used."""
    if not isinstance(rules, list):
        raise InvalidRule("the rules must be a list of objects")
    if "\\u0000" in json.dumps(rules):  # PostgreSQL's JSON cannot store it
        raise InvalidRule("the rules must not contain a NUL character (\\u0000)")
    registry = checks()
    for n, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict):
            raise InvalidRule(f"rule {n} is not an object")
        kind = str(rule.get("kind"))
        if kind not in registry:
            raise InvalidRule(
                f"rule {n}: unknown kind {kind!r}; known kinds: {', '.join(sorted(registry))}"
            )
        try:
            registry[kind].validate(rule)
        except InvalidRule as exc:
            raise InvalidRule(f"rule {n} ({kind}): {exc}") from exc


def screen(context: Context, sources: Iterable[RuleSource]) -> list[tuple[Hit, int | None]]:
    """Every finding of every rule, in text order, with the rulebook version behind it."""
    registry = checks()
    found: list[tuple[Hit, int | None]] = []
    for source in sources:
        for rule in source.rules:
            check = registry.get(str(rule.get("kind")))
            if check is None:
                continue  # validated on save; a kind removed from the code is skipped
            found.extend((hit, source.version) for hit in check.check(context, rule))
    kept = [pair for pair in found if not _covered(pair[0], found)]
    return sorted(kept, key=lambda pair: (pair[0].start is None, pair[0].start or 0))


_RANK = {"info": 0, "warning": 1, "block": 2}


def _covered(hit: Hit, found: list[tuple[Hit, int | None]]) -> bool:
    """A hit inside the words of another rule's hit that is at least as serious says nothing
    new (the "org" of an e-mail address flagged again as a foreign word)."""
    if hit.start is None or hit.end is None:
        return False
    return any(
        other.rule != hit.rule
        and other.start is not None
        and other.end is not None
        and other.start <= hit.start
        and hit.end <= other.end
        and (
            _RANK[other.severity] > _RANK[hit.severity]
            or (
                _RANK[other.severity] == _RANK[hit.severity]
                and (other.end - other.start) > (hit.end - hit.start)
            )
        )
        for other, _ in found
    )
