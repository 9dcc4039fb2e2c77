"""Signing a petition: dedupe by keyed email hash, seal the address, count in the ledger."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import Action
from actions.services import default_case_id
from actions.tallies import add_to_tally
from actions.types import ActionType, Channel, Source
from campaigns.models import Campaign
from lantern.privacy import email_dedupe_hash, normalize_email, seal
from partners.models import Partner
from petitions.models import Signature
from petitions.tasks import send_confirmation_email

TOKEN_SALT = "lantern.petitions.confirm"  # noqa: S105 - a namespace, not a secret


@dataclass(frozen=True)
class SignatureInput:
    name: str
    email: str
    country: str
    city: str = ""
    name_display: str = Signature.NameDisplay.FULL
    consent_letter: bool = False
    consent_contact: bool = False


class SignOutcome(enum.Enum):
    COUNTED = "counted"
    CONFIRMATION_SENT = "confirmation_sent"
    ALREADY_SIGNED = "already_signed"


class CampaignNotSignable(Exception):
    pass


def sign_petition(
    campaign: Campaign,
    data: SignatureInput,
    *,
    partner: Partner | None = None,
    source: Source = Source.WEB,
) -> SignOutcome:
    """Add a signature; count it now, or after email confirmation if the campaign asks.

    A second signature with the same mailbox (however spelled) is not stored or counted, also
    when both arrive at once: the unique (campaign, email_hash) constraint decides.
    """
    if not campaign.accepts_signatures:
        raise CampaignNotSignable(campaign.slug)
    normalized = normalize_email(data.email)
    signature = Signature(
        campaign=campaign,
        name=data.name.strip(),
        name_display=data.name_display,
        country=data.country,
        city=data.city.strip(),
        consent_letter=data.consent_letter,
        consent_contact=data.consent_contact,
        email_hash=email_dedupe_hash(normalized),
        email_sealed=seal(normalized),
        partner=partner,
    )
    try:
        with transaction.atomic():
            signature.save(force_insert=True)
            if campaign.requires_confirmation:
                transaction.on_commit(lambda: send_confirmation_email.enqueue(signature.pk))
            else:
                _count(signature, source)
    except IntegrityError:
        if _remind_if_unconfirmed(campaign, signature.email_hash):
            return SignOutcome.CONFIRMATION_SENT
        return SignOutcome.ALREADY_SIGNED
    if campaign.requires_confirmation:
        return SignOutcome.CONFIRMATION_SENT
    return SignOutcome.COUNTED


def _remind_if_unconfirmed(campaign: Campaign, email_hash: str) -> bool:
    """The same mailbox signed before but never confirmed: send the link again.

    The link goes to the mailbox, never to whoever typed the address, so saying "we emailed
    you a link" tells the second signer nothing about the first.
    """
    if not campaign.requires_confirmation:
        return False
    pending = list(
        Signature.objects.filter(
            campaign=campaign, email_hash=email_hash, confirmed_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for pk in pending:
        send_confirmation_email.enqueue(pk)
    return bool(pending)


def _count(signature: Signature, source: Source) -> None:
    """Append the signature's action to the ledger and its tally (inside the caller's atomic)."""
    campaign = signature.campaign
    action = Action.objects.create(
        campaign=campaign,
        case_id=default_case_id(campaign),
        action_type=ActionType.SIGNATURE,
        count=1,
        country=signature.country,
        city=signature.city,
        occurred_at=timezone.now(),
        channel=Channel.ONLINE,
        partner=signature.partner,
        source=source,
    )
    signature.action = action
    signature.save(update_fields=["action"])
    add_to_tally(campaign.pk, [(action.country, action.action_type, 1)])


def confirmation_token(signature: Signature) -> str:
    return signing.dumps(signature.pk, salt=TOKEN_SALT, compress=True)


class InvalidToken(Exception):
    pass


def signature_for_token(token: str) -> Signature:
    """The signature a confirmation link names, or InvalidToken if forged or too old."""
    max_age = timedelta(days=settings.CONFIRMATION_MAX_AGE_DAYS)
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise InvalidToken(str(exc)) from exc
    try:
        return Signature.objects.select_related("campaign").get(pk=pk)
    except Signature.DoesNotExist as exc:
        raise InvalidToken("no such signature") from exc


class ConfirmOutcome(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"


def confirm_signature(signature: Signature, *, source: Source = Source.WEB) -> ConfirmOutcome:
    """Count a signature that waited for confirmation; a second confirmation changes nothing."""
    with transaction.atomic():
        claimed = Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        if not claimed:
            return ConfirmOutcome.ALREADY_CONFIRMED
        _count(signature, source)
    return ConfirmOutcome.CONFIRMED
