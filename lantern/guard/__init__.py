"""Lantern's guard against abuse of its public forms: see checks.py and docs/SECURITY.md."""

from lantern.guard.checks import (
    HONEYPOT_FIELD,
    POW_FIELD,
    Admission,
    Kind,
    Reason,
    Refused,
    request_client_key,
    screen,
    screen_request,
)

__all__ = [
    "HONEYPOT_FIELD",
    "POW_FIELD",
    "Admission",
    "Kind",
    "Reason",
    "Refused",
    "request_client_key",
    "screen",
    "screen_request",
]
