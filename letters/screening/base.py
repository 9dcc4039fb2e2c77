"""The one shape every screening check has, and the registry that finds a check by kind.

A rule in a rulebook is a JSON object with a ``kind``; the check registered under that kind
reads the rest of the object. See docs/SCREENING.md ("How to add a rule kind").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

SEVERITIES = ("info", "warning", "block")


@dataclass(frozen=True)
class Hit:
    """What a check found: the rule, how serious, why, and where (character offsets)."""

    rule: str
    severity: str
    message: str
    start: int | None = None
    end: int | None = None
    matched_text: str = ""


@dataclass(frozen=True)
class Context:
    """What a check may look at: the text, its detected language, and the facility's rules."""

    text: str
    language: str
    kind: str = "letter"
    accepted_languages: tuple[str, ...] = ()
    max_length_chars: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


class InvalidRule(ValueError):
    """A rule object a check cannot use; the message says what to fix."""


class Check(Protocol):
    """A screening check: validate a rule object once, then apply it to a letter."""

    kind: str

    def validate(self, rule: Mapping[str, Any]) -> None: ...

    def check(self, context: Context, rule: Mapping[str, Any]) -> list[Hit]: ...


_REGISTRY: dict[str, Check] = {}


C = TypeVar("C", bound=type[Check])


def register(cls: C) -> C:
    """Class decorator: make the check available to rulebooks under its `kind`."""
    _REGISTRY[cls.kind] = cls()
    return cls


def checks() -> Mapping[str, Check]:
    return _REGISTRY


def rule_code(rule: Mapping[str, Any], default: str) -> str:
    return str(rule.get("code") or default)


def severity(rule: Mapping[str, Any], default: str) -> str:
    value = str(rule.get("severity") or default)
    if value not in SEVERITIES:
        raise InvalidRule(f"severity must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return value


def message(rule: Mapping[str, Any], default: str) -> str:
    return str(rule.get("message") or default)


def require(rule: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = rule.get(key)
    if not isinstance(value, kind):
        raise InvalidRule(f"rule {rule.get('code') or rule.get('kind')!r} needs {key!r}")
    return value
