"""A self-hosted proof-of-work challenge (ALTCHA): signed, expiring, accepted once.

`issue_challenge` makes an ALTCHA v2 challenge ("SHA-256", one hash per try) in its
deterministic mode: the server picks a counter below `settings.POW_DIFFICULTY`, and the
browser must try counters until it finds that one (half of the tries on average). The
challenge is signed (HMAC) with an expiry; the solution carries an HMAC of the key it must
find, so checking it costs two HMACs. `verify_solution` then spends the challenge in the
guard's store, so the same solution is refused the second time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from functools import cache
from typing import Any

import altcha
from django.conf import settings

from lantern.guard.store import Store, get_store

ALGORITHM = "SHA-256"
# A payload is a base64 JSON object of about 600 characters; anything far larger is junk.
MAX_PAYLOAD = 4096


class PowError(Exception):
    """The payload is missing, malformed, forged, expired or spent; `code` says which."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@cache
def _secret(secret_key: str, purpose: str) -> bytes:
    return hmac.new(secret_key.encode("utf-8"), purpose.encode("ascii"), hashlib.sha256).digest()


def _secrets() -> tuple[bytes, bytes]:
    return (
        _secret(settings.SECRET_KEY, "lantern.guard.pow.challenge"),
        _secret(settings.SECRET_KEY, "lantern.guard.pow.key"),
    )


def issue_challenge(*, difficulty: int | None = None) -> dict[str, Any]:
    """A new challenge, as the JSON the ALTCHA widget (and widget.js) fetch."""
    top = max(1, difficulty if difficulty is not None else settings.POW_DIFFICULTY)
    counter = top // 2 + secrets.randbelow(top - top // 2)
    challenge_secret, key_secret = _secrets()
    challenge = altcha.create_challenge(
        ALGORITHM,
        1,
        counter=counter,
        expires_at=int(time.time()) + settings.POW_MAX_AGE_SECONDS,
        hmac_secret=challenge_secret,
        hmac_key_secret=key_secret,
    )
    result: dict[str, Any] = challenge.to_dict()
    return result


def verify_solution(payload: str, *, store: Store | None = None) -> None:
    """Accept a solved challenge once; raise PowError otherwise."""
    key, ttl_ms = check_solution(payload)
    if not (store or get_store()).spend_once(key, ttl_ms):
        raise PowError("spent")


def check_solution(payload: str) -> tuple[str, int]:
    """Check a solved challenge without spending it: the key to spend it under, and for how
    long (milliseconds) it must stay spent. Raises PowError unless it is good."""
    if not payload:
        raise PowError("missing")
    if len(payload) > MAX_PAYLOAD:
        raise PowError("invalid")
    try:
        parsed = altcha.Payload.from_dict(json.loads(base64.b64decode(payload, validate=True)))
    except (ValueError, KeyError, TypeError, binascii.Error, RecursionError):
        raise PowError("invalid") from None
    challenge_secret, key_secret = _secrets()
    result = altcha.verify_solution(parsed, challenge_secret, hmac_key_secret=key_secret)
    if result.expired:
        raise PowError("expired")
    if not result.verified or not parsed.challenge.signature:
        raise PowError("invalid")
    expires_at = parsed.challenge.parameters.expires_at or 0
    ttl_ms = max(1000, int((expires_at - time.time()) * 1000) + 1000)
    return f"pow:{parsed.challenge.signature}", ttl_ms
