"""The checks in front of every public form and endpoint that writes, cheapest first.

`screen` takes plain values (the peer's address, the forwarding headers, the campaign, the
body's size, the honeypot field and the proof-of-work payload), so that a lean sign path
that bypasses Django's forms and middleware can call it as it is; `screen_request` reads
those values from a Django request. The order is the point: nothing costly (form
validation, hashing, sealing, the database) runs for a request the cheap checks refuse.

1. size: a body larger than the form can be is refused (413) before it is parsed;
2. honeypot: a field people never see is filled in (400);
3. rate limits, per hashed client key and per campaign: past the hard limit, 429 and
   nothing is stored; past the soft limit, the request goes on but is `held` for review;
4. proof-of-work: the ALTCHA solution is checked (two HMACs) and spent (400 if not good);
   `screen` spends it in the same round trip to the store as it takes the limits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantern.conf import RateSpec
from lantern.guard.clients import client_address, client_key
from lantern.guard.pow import PowError, check_solution
from lantern.guard.store import Store, Verdict, get_store

# The hidden field of every public form, and the one that carries the ALTCHA payload.
HONEYPOT_FIELD = "website"
POW_FIELD = "altcha"


class Kind(enum.StrEnum):
    SIGN = "sign"
    LETTER = "letter"
    # A request for a copy or the erasure of one's data: it emails the address typed in, so
    # it is limited to keep anyone from flooding someone else's mailbox (no soft limit).
    PRIVACY = "privacy"


# The largest body each form can honestly have (a letter is up to 20,000 characters, which
# percent-encoded Cyrillic makes six times longer).
MAX_BYTES = {Kind.SIGN: 16 * 1024, Kind.LETTER: 256 * 1024, Kind.PRIVACY: 16 * 1024}


class Reason(enum.Enum):
    TOO_LARGE = "too_large"
    HONEYPOT = "honeypot"
    RATE_LIMITED = "rate_limited"
    POW_MISSING = "pow_missing"
    POW_FAILED = "pow_failed"


STATUS = {
    Reason.TOO_LARGE: 413,
    Reason.HONEYPOT: 400,
    Reason.RATE_LIMITED: 429,
    Reason.POW_MISSING: 400,
    Reason.POW_FAILED: 400,
}
MESSAGES: dict[Reason, Promise] = {
    Reason.TOO_LARGE: _("This form is larger than any real one and was not saved."),
    Reason.HONEYPOT: _(
        "This form could not be sent. If you filled in the field “Leave this empty”, "
        "clear it and send the form again."
    ),
    Reason.RATE_LIMITED: _(
        "Too many forms were sent from your connection in a short time, so this one was "
        "not saved. Please wait a few minutes and send it again."
    ),
    Reason.POW_MISSING: _(
        "Your browser did not send the check that a person filled in this form. Please "
        "make sure JavaScript is turned on, then send the form again."
    ),
    Reason.POW_FAILED: _(
        "The check that a person filled in this form failed or expired. Please send the form again."
    ),
}


class Refused(Exception):
    """The request is refused before anything is stored; `message` is for the person."""

    def __init__(self, reason: Reason, *, retry_after: int = 0, detail: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.retry_after = retry_after
        self.detail = detail or reason.value

    @property
    def status(self) -> int:
        return STATUS[self.reason]

    @property
    def message(self) -> str:
        return str(MESSAGES[self.reason])


Rates = tuple[RateSpec, ...]


@dataclass(frozen=True)
class Limits:
    client_soft: Rates
    client_hard: Rates
    campaign_soft: Rates
    campaign_hard: Rates


def limits_for(kind: Kind) -> Limits:
    prefix = kind.value.upper()
    return Limits(
        *(
            getattr(settings, f"{prefix}_RATE_{who}_{level}")
            for who, level in (
                ("CLIENT", "SOFT"),
                ("CLIENT", "HARD"),
                ("CAMPAIGN", "SOFT"),
                ("CAMPAIGN", "HARD"),
            )
        )
    )


@dataclass(frozen=True)
class Admission:
    """The request may go on; `held` if it is over a soft limit (store it, hold it)."""

    held: bool
    client: str


def check_size(kind: Kind, content_length: int | str | None) -> None:
    try:
        size = int(content_length or 0)
    except ValueError:
        raise Refused(Reason.TOO_LARGE) from None
    if size > MAX_BYTES[kind]:
        raise Refused(Reason.TOO_LARGE)


def check_honeypot(value: str | None) -> None:
    if value:
        raise Refused(Reason.HONEYPOT)


def check_rates(
    kind: Kind, client: str, campaign: str, *, store: Store | None = None, now: int | None = None
) -> bool:
    """Spend one unit of each limit; raise Refused past a hard one; True past a soft one."""
    verdict = _take_limits(kind, client, campaign, store=store or get_store(), now=now)
    _refuse_past_hard_limit(verdict)
    return verdict.held


def _refuse_past_hard_limit(verdict: Verdict) -> None:
    if verdict.refused is not None:
        raise Refused(Reason.RATE_LIMITED, retry_after=verdict.refused.retry_after_s)


def _take_limits(
    kind: Kind,
    client: str,
    campaign: str,
    *,
    store: Store,
    now: int | None,
    spend: tuple[str, int] | None = None,
) -> Verdict:
    limits = limits_for(kind)

    def limited(level: str, for_client: Rates, for_campaign: Rates) -> list[tuple[str, Rates]]:
        keys = (f"{kind}:{level}:client:{client}", f"{kind}:{level}:campaign:{campaign}")
        pairs = zip(keys, (for_client, for_campaign), strict=True)
        return [(key, rates) for key, rates in pairs if rates]

    hard = limited("hard", limits.client_hard, limits.campaign_hard)
    soft = limited("soft", limits.client_soft, limits.campaign_soft)
    return store.take_all(hard, soft, now, spend=spend)  # one round trip to the store


def _pow_refusal(exc: PowError) -> Refused:
    reason = Reason.POW_MISSING if exc.code == "missing" else Reason.POW_FAILED
    return Refused(reason, detail=f"proof-of-work {exc.code}")


def screen(
    kind: Kind,
    *,
    peer: str,
    campaign: str,
    pow_payload: str | None,
    x_forwarded_for: str | None = None,
    forwarded: str | None = None,
    content_length: int | str | None = None,
    honeypot: str | None = None,
    store: Store | None = None,
    now: int | None = None,
) -> Admission:
    """Every check, in order, from plain values. Raises Refused; else says if it is held."""
    check_size(kind, content_length)
    check_honeypot(honeypot)
    client = client_key(client_address(peer, x_forwarded_for, forwarded))
    # The solution's two HMACs are checked here, and it is spent in the same round trip to
    # the store as the limits are taken (only if no hard limit refuses); the refusals come
    # in the order above: the limits', then the proof-of-work's.
    try:
        spend: tuple[str, int] | None = check_solution(pow_payload or "")
        bad_pow = None
    except PowError as exc:
        spend, bad_pow = None, exc
    verdict = _take_limits(kind, client, campaign, store=store or get_store(), now=now, spend=spend)
    _refuse_past_hard_limit(verdict)
    if bad_pow is not None:
        raise _pow_refusal(bad_pow)
    if not verdict.spent:
        raise _pow_refusal(PowError("spent"))
    return Admission(held=verdict.held, client=client)


# The WSGI environ key under which a lean path that screened a request before handing it to
# Django leaves its verdict, (kind, campaign, Admission or Refused), so that the request is
# not screened twice (its proof-of-work is already spent, its limits already taken). Only
# the server side can set it: a client's headers all become HTTP_* keys.
SCREENED = "lantern.guard.screened"


def screen_request(
    request: HttpRequest,
    kind: Kind,
    campaign: str,
    *,
    pow_payload: str | None = None,
    form_fields: bool = True,
) -> Admission:
    """`screen` for a Django request. The size is checked before the body is read; with
    `form_fields`, the honeypot and the proof-of-work come from the POSTed form. A request
    the lean sign path screened already gets that verdict again (`SCREENED`)."""
    meta = request.META
    verdict = meta.get(SCREENED)
    if verdict is not None and verdict[:2] == (kind, campaign):
        if isinstance(verdict[2], Refused):
            raise verdict[2]
        return verdict[2]  # type: ignore[no-any-return]  # an Admission, set by petitions.lean
    check_size(kind, meta.get("CONTENT_LENGTH"))
    honeypot = request.POST.get(HONEYPOT_FIELD, "") if form_fields else ""
    if form_fields and pow_payload is None:
        pow_payload = request.POST.get(POW_FIELD, "")
    return screen(
        kind,
        peer=meta.get("REMOTE_ADDR", ""),
        x_forwarded_for=meta.get("HTTP_X_FORWARDED_FOR"),
        forwarded=meta.get("HTTP_FORWARDED"),
        campaign=campaign,
        content_length=meta.get("CONTENT_LENGTH"),
        honeypot=honeypot,
        pow_payload=pow_payload,
    )


def request_client_key(request: HttpRequest) -> str:
    meta = request.META
    return client_key(
        client_address(
            meta.get("REMOTE_ADDR", ""),
            meta.get("HTTP_X_FORWARDED_FOR"),
            meta.get("HTTP_FORWARDED"),
        )
    )
