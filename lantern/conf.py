"""Typed readers for settings from the environment.

Every knob is an environment variable with a safe default for the embedded setup. A bad
value fails loudly at start-up. A secret `X` may also be given as a file path in `X_FILE`.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_from_file(path: Path, *, nbytes: int = 32) -> str:
    """Read a random secret kept in `path`, creating it on first use (embedded setup only)."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    # O_EXCL: when two processes start at once, one writes and the other reads its value.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value


_PERIODS_MS = {
    "s": 1000,
    "second": 1000,
    "m": 60_000,
    "min": 60_000,
    "minute": 60_000,
    "h": 3_600_000,
    "hour": 3_600_000,
    "d": 86_400_000,
    "day": 86_400_000,
}


@dataclass(frozen=True)
class RateSpec:
    """At most `limit` per `period_ms` on average, and at most `burst` at once."""

    limit: int
    period_ms: int
    burst: int


def parse_rates(raw: str, *, name: str = "rate") -> tuple[RateSpec, ...]:
    """Read "10/minute,60/hour" (optionally "10/minute:20" for a burst of 20), or "" for none.

    A period may carry a count: "5/15minutes". Raises ImproperlyConfigured on anything else.
    """
    rates = []
    for part in (item.strip() for item in raw.split(",")):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?(?::(\d+))?", part.lower())
        if not match or match.group(3) not in _PERIODS_MS or int(match.group(1)) < 1:
            raise ImproperlyConfigured(
                f"{name}={raw!r}: {part!r} is not a rate like 10/minute, 5/15minutes or "
                "10/minute:20 (a burst of 20)."
            )
        limit = int(match.group(1))
        period = int(match.group(2) or 1) * _PERIODS_MS[match.group(3)]
        burst = int(match.group(4)) if match.group(4) else limit
        if period < 1 or burst < 1:
            raise ImproperlyConfigured(f"{name}={raw!r}: {part!r} has an empty period or burst.")
        rates.append(RateSpec(limit=limit, period_ms=period, burst=burst))
    return tuple(rates)


def env_rates(name: str, default: str) -> tuple[RateSpec, ...]:
    return parse_rates(os.environ.get(name, default), name=name)


def env_networks(
    name: str, default: list[str]
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Addresses or CIDR blocks, comma-separated; a bad one fails loudly."""
    networks = []
    for item in env_list(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network."
            ) from exc
    return tuple(networks)
