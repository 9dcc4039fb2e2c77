"""Supporters' privacy: the short-lived addresses the server writes to, requests to see or
erase one's data, and the retention purge.

Nothing here changes a total: the ledger (`actions.Action`) keeps its rows; only the personal
fields of signatures and letters are emptied (docs/SECURITY.md).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.services import Action, record
from campaigns.models import Campaign
from lantern.i18n import supported_language
from lantern.privacy import email_dedupe_hash, normalize_email, server_seal, server_unseal
from letters.models import Letter
from petitions.models import Signature
from privacy.models import PrivacyRequest, TransientAddress

Purpose = TransientAddress.Purpose
TOKEN_SALT = "lantern.privacy.request"  # noqa: S105 - a namespace, not a secret

# --- Addresses kept only until the one email to them is sent ----------------------------


def keep_address(purpose: str, object_id: int, address: str) -> None:
    """Keep `address` (sealed to the server's key) until `forget_address` or expiry."""
    expires_at = timezone.now() + timedelta(hours=settings.TRANSIENT_ADDRESS_HOURS)
    TransientAddress.objects.update_or_create(
        purpose=purpose,
        object_id=object_id,
        defaults={"sealed": server_seal(address), "expires_at": expires_at},
    )


def new_address(purpose: str, object_id: int, address: str) -> None:
    """`keep_address` for an object just created (one INSERT: the signing path)."""
    expires_at = timezone.now() + timedelta(hours=settings.TRANSIENT_ADDRESS_HOURS)
    TransientAddress.objects.create(
        purpose=purpose, object_id=object_id, sealed=server_seal(address), expires_at=expires_at
    )


def address_for(purpose: str, object_id: int) -> str | None:
    """The address kept for this email, or None once sent, erased or expired."""
    kept = TransientAddress.objects.filter(
        purpose=purpose, object_id=object_id, expires_at__gt=timezone.now()
    ).first()
    return server_unseal(kept.sealed) if kept is not None else None


def forget_address(purpose: str, object_id: int) -> None:
    TransientAddress.objects.filter(purpose=purpose, object_id=object_id).delete()


def forget_addresses(purpose: str, object_ids: Iterable[int]) -> None:
    TransientAddress.objects.filter(purpose=purpose, object_id__in=list(object_ids)).delete()


# --- Anonymizing: what purges and erasures empty ------------------------------------------


@dataclass
class Anonymized:
    signatures: int = 0
    letters: int = 0

    @property
    def total(self) -> int:
        return self.signatures + self.letters


def _anonymize(signatures: QuerySet[Signature], letters: QuerySet[Letter]) -> Anonymized:
    """Empty the personal fields; the rows, their actions and every total stay."""
    now = timezone.now()
    signature_ids = list(signatures.filter(anonymized_at__isnull=True).values_list("pk", flat=True))
    letter_ids = list(letters.filter(anonymized_at__isnull=True).values_list("pk", flat=True))
    Signature.objects.filter(pk__in=signature_ids).update(
        name="",
        city="",
        name_display=Signature.NameDisplay.ANONYMOUS,
        email_hash=None,
        email_sealed=None,
        partner_email_sealed=None,
        anonymized_at=now,
    )
    Letter.objects.filter(pk__in=letter_ids).update(
        author_name="", author_contact_sealed=None, author_email_hash=None, anonymized_at=now
    )
    TransientAddress.objects.filter(
        Q(purpose=Purpose.SIGNATURE_CONFIRMATION, object_id__in=signature_ids)
        | Q(purpose=Purpose.LETTER_AUTHOR, object_id__in=letter_ids)
    ).delete()
    return Anonymized(len(signature_ids), len(letter_ids))


# --- Retention ----------------------------------------------------------------------------


@dataclass
class PurgeResult:
    campaigns: list[str] = field(default_factory=list)
    anonymized: Anonymized = field(default_factory=Anonymized)
    addresses: int = 0
    requests: int = 0


def campaigns_due_for_purge(now: datetime | None = None) -> QuerySet[Campaign]:
    cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_DAYS)
    return Campaign.objects.filter(status=Campaign.Status.CLOSED).filter(
        Q(closed_at__lte=cutoff) | Q(closed_at__isnull=True, updated_at__lte=cutoff)
    )


def purge_personal_data(now: datetime | None = None) -> PurgeResult:
    """Anonymize the supporters of campaigns closed RETENTION_DAYS ago, and delete expired
    addresses and old privacy requests. Idempotent: a second run finds nothing."""
    now = now or timezone.now()
    result = PurgeResult()
    for campaign in campaigns_due_for_purge(now):
        with transaction.atomic():
            done = _anonymize(
                Signature.objects.filter(campaign=campaign),
                Letter.objects.filter(campaign=campaign),
            )
            if done.total:
                record(
                    Action.DATA_PURGED,
                    by="retention task",
                    obj=campaign,
                    records=done.total,
                    detail=f"{done.signatures} signatures, {done.letters} letters",
                )
        if done.total:
            result.campaigns.append(campaign.slug)
            result.anonymized.signatures += done.signatures
            result.anonymized.letters += done.letters
    result.addresses, _ = TransientAddress.objects.filter(expires_at__lte=now).delete()
    link_age = timedelta(hours=settings.PRIVACY_LINK_MAX_AGE_HOURS)
    result.requests, _ = PrivacyRequest.objects.filter(created_at__lte=now - link_age).delete()
    return result


# --- A supporter's requests: export or erasure, confirmed from the mailbox ----------------


def request_privacy(email: str, kind: str, *, language: str = "") -> PrivacyRequest:
    """Note the request and email a link to the address; only that mailbox can confirm.

    Raises ValidationError for a malformed address. Abuse limits (issue 6, item 4) plug in
    before this is called, in `privacy.views.request_form`.
    """
    from privacy.tasks import send_privacy_request_email

    normalized = normalize_email(email)
    with transaction.atomic():
        request = PrivacyRequest.objects.create(
            kind=kind,
            email_hash=email_dedupe_hash(normalized),
            language=language or supported_language(),
        )
        new_address(Purpose.PRIVACY_REQUEST, request.pk, normalized)
        transaction.on_commit(lambda: send_privacy_request_email.enqueue(request.pk))
    return request


def request_token(request: PrivacyRequest) -> str:
    return signing.dumps(request.pk, salt=TOKEN_SALT, compress=True)


class InvalidRequestLink(Exception):
    pass


def request_for_token(token: str) -> PrivacyRequest:
    max_age = timedelta(hours=settings.PRIVACY_LINK_MAX_AGE_HOURS)
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature as exc:
        raise InvalidRequestLink(str(exc)) from exc
    try:
        return PrivacyRequest.objects.get(pk=pk)
    except PrivacyRequest.DoesNotExist as exc:
        raise InvalidRequestLink("no such request") from exc


class RequestOutcome(enum.Enum):
    DONE = "done"
    ALREADY_DONE = "already_done"


@dataclass
class RequestResult:
    outcome: RequestOutcome
    export: dict[str, Any] | None = None
    erased: Anonymized | None = None


def held_data(email_hash: str) -> dict[str, Any]:
    """What Lantern holds about one mailbox, found through its keyed hash."""
    signatures = Signature.objects.filter(email_hash=email_hash).select_related("campaign")
    letters = Letter.objects.filter(author_email_hash=email_hash).select_related("campaign", "case")
    return {
        "about": (
            "What Lantern holds about this email address. The address itself is stored only "
            "sealed to the organization's key, which this server does not have."
        ),
        "signatures": [
            {
                "campaign": s.campaign.slug,
                "name": s.name,
                "name_shown_as": s.name_display,
                "country": s.country,
                "city": s.city,
                "name_on_petition_letter": s.consent_letter,
                "may_be_contacted": s.consent_contact,
                "partner": s.partner.slug if s.partner else None,
                "signed_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "counted": s.action_id is not None,
            }
            for s in signatures.select_related("partner")
        ],
        "letters": [
            {
                "campaign": letter.campaign.slug,
                "to": letter.case.name,
                "kind": letter.kind,
                "author_name": letter.author_name,
                "author_country": letter.author_country,
                "text": letter.original_text or letter.text,
                "status": letter.status,
                "written_at": letter.created_at.isoformat(),
            }
            for letter in letters
        ],
    }


def confirm_privacy_request(request: PrivacyRequest) -> RequestResult:
    """Carry out a request once, from the confirmation its mailbox sent (a POST)."""
    with transaction.atomic():
        claimed = PrivacyRequest.objects.filter(pk=request.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        if not claimed:
            return RequestResult(RequestOutcome.ALREADY_DONE)
        who = "supporter (confirmed from their mailbox)"
        if request.kind == PrivacyRequest.Kind.EXPORT:
            export = held_data(request.email_hash)
            count = len(export["signatures"]) + len(export["letters"])
            record(Action.DATA_REQUESTED, by=who, obj=request, records=count)
            return RequestResult(RequestOutcome.DONE, export=export)
        erased = _anonymize(
            Signature.objects.filter(email_hash=request.email_hash),
            Letter.objects.filter(author_email_hash=request.email_hash),
        )
        record(
            Action.DATA_ERASED,
            by=who,
            obj=request,
            records=erased.total,
            detail=f"{erased.signatures} signatures, {erased.letters} letters",
        )
        forget_address(Purpose.PRIVACY_REQUEST, request.pk)
        return RequestResult(RequestOutcome.DONE, erased=erased)
