"""Signing a petition: dedupe by keyed email hash, seal the address, count in the ledger."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Action
from actions.services import record_action
from actions.types import ActionType, Source
from audit.services import Action as Audit
from audit.services import record
from campaigns.models import Campaign
from lantern import pdfjobs
from lantern.background import enqueue_with_writes
from lantern.i18n import supported_language
from lantern.privacy import email_dedupe_hash, normalize_email, seal
from partners.models import Partner
from petitions.delivery import ledger_signatures
from petitions.models import PetitionDelivery, Signature
from petitions.tasks import build_petition_pdf, send_confirmation_email
from privacy.models import TransientAddress
from privacy.services import keep_address, new_address

CONFIRMATION = TransientAddress.Purpose.SIGNATURE_CONFIRMATION
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
    # The signer's language (a code from settings.LANGUAGES); empty: the active language.
    language: str = ""


class SignOutcome(enum.Enum):
    COUNTED = "counted"
    CONFIRMATION_SENT = "confirmation_sent"
    ALREADY_SIGNED = "already_signed"
    HELD = "held"  # over a soft rate limit: stored, not counted until an organizer approves


class CampaignNotSignable(Exception):
    pass


def sign_petition(
    campaign: Campaign,
    data: SignatureInput,
    *,
    partner: Partner | None = None,
    source: Source = Source.WEB,
    held: bool = False,
) -> SignOutcome:
    """Add a signature; count it now, or after email confirmation if the campaign asks.

    A second signature with the same mailbox (however spelled) is not stored or counted, also
    when both arrive at once: the unique (campaign, email_hash) constraint decides. A `held`
    signature (its signer was over a soft rate limit) is stored but neither counted nor sent
    a confirmation until an organizer approves it (`approve_held_signatures`).
    """
    if not campaign.accepts_signatures or is_frozen(campaign):
        raise CampaignNotSignable(campaign.slug)
    normalized = normalize_email(data.email)
    email_hash = email_dedupe_hash(normalized)
    # A signer who agrees to be contacted through a partner is sealed to its key too.
    partner_key = partner.contact_public_key if partner is not None else ""
    signature = Signature(
        campaign=campaign,
        name=data.name.strip(),
        name_display=data.name_display,
        country=data.country,
        city=data.city.strip(),
        consent_letter=data.consent_letter,
        consent_contact=data.consent_contact,
        email_hash=email_hash,
        email_sealed=seal(normalized),
        partner_email_sealed=(
            seal(normalized, partner_key) if partner_key and data.consent_contact else None
        ),
        partner=partner,
        language=data.language or supported_language(),
        held_for_review=held,
        source=source,
    )
    try:
        with transaction.atomic():
            signature.save(force_insert=True)
            if campaign.requires_confirmation:
                # The address, readable by the server only until the email is sent (a held
                # signature's once an organizer approves it, within TRANSIENT_ADDRESS_HOURS).
                new_address(CONFIRMATION, signature.pk, normalized)
            if held:
                pass
            elif campaign.requires_confirmation:
                enqueue_with_writes(send_confirmation_email, signature.pk)
            else:
                _count(signature, source)
    except IntegrityError:
        if _remind_if_unconfirmed(campaign, email_hash, normalized):
            return SignOutcome.CONFIRMATION_SENT
        return SignOutcome.ALREADY_SIGNED
    if held:
        return SignOutcome.HELD
    if campaign.requires_confirmation:
        return SignOutcome.CONFIRMATION_SENT
    return SignOutcome.COUNTED


def _release(signature: Signature, source: Source) -> None:
    """The path of any new signature, for one an organizer approved (inside an atomic)."""
    if signature.campaign.requires_confirmation:
        enqueue_with_writes(send_confirmation_email, signature.pk)
    else:
        _count(signature, source)


def approve_held_signatures(
    signatures: Iterable[Signature], *, actor: AbstractBaseUser | AnonymousUser | None = None
) -> int:
    """Let held signatures count, as if they had just arrived: counted now, or confirmed by
    email first where the campaign asks. Each is claimed once (a second approval of the
    same signature, also at the same time, does nothing). Returns how many were released."""
    released = 0
    for signature in signatures:
        if is_frozen(signature.campaign):
            continue
        with transaction.atomic():
            claimed = Signature.objects.filter(pk=signature.pk, held_for_review=True).update(
                held_for_review=False
            )
            if claimed:
                signature.held_for_review = False
                _release(signature, Source(signature.source or Source.WEB))
                released += 1
    record(Audit.HELD_APPROVED, actor=actor, records=released)
    return released


def reject_held_signatures(
    signatures: Iterable[Signature], *, actor: AbstractBaseUser | AnonymousUser | None = None
) -> int:
    """Discard held signatures: they were never counted, so no total changes."""
    pks = [s.pk for s in signatures]
    with transaction.atomic():
        deleted, _ = Signature.objects.filter(
            pk__in=pks, held_for_review=True, action__isnull=True
        ).delete()
        record(Audit.HELD_REJECTED, actor=actor, records=deleted)
    return deleted


def _remind_if_unconfirmed(campaign: Campaign, email_hash: str, address: str) -> bool:
    """The same mailbox signed before but never confirmed: send the link again.

    The link goes to the mailbox, never to whoever typed the address, so saying "we emailed
    you a link" tells the second signer nothing about the first.
    """
    if not campaign.requires_confirmation:
        return False
    pending = list(
        Signature.objects.filter(
            campaign=campaign,
            email_hash=email_hash,
            confirmed_at__isnull=True,
            held_for_review=False,
        ).values_list("pk", flat=True)
    )
    for pk in pending:
        keep_address(CONFIRMATION, pk, address)  # the same mailbox, as just typed
        send_confirmation_email.enqueue(pk)
    return bool(pending)


def _count(signature: Signature, source: Source) -> None:
    """Append the signature's action to the ledger and its tally (inside the caller's atomic)."""
    signature.action = record_action(
        signature.campaign,
        action_type=ActionType.SIGNATURE,
        country=signature.country,
        city=signature.city,
        partner=signature.partner,
        source=source,
    )
    signature.save(update_fields=["action"])


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
    TOO_LATE = "too_late"  # the petition was frozen for delivery before the confirmation


def confirm_signature(signature: Signature, *, source: Source = Source.WEB) -> ConfirmOutcome:
    """Count a signature that waited for confirmation; a second confirmation changes nothing.

    Once the petition is frozen for delivery, nothing more is counted.
    """
    if signature.confirmed_at is None and is_frozen(signature.campaign):
        return ConfirmOutcome.TOO_LATE
    with transaction.atomic():
        claimed = Signature.objects.filter(
            pk=signature.pk, confirmed_at__isnull=True, held_for_review=False
        ).update(confirmed_at=timezone.now())
        if not claimed:
            return ConfirmOutcome.ALREADY_CONFIRMED
        _count(signature, source)
    return ConfirmOutcome.CONFIRMED


# --- Petition delivery: freeze at the deadline, print the letter, record its posting -------


class DeliveryError(Exception):
    """A delivery step refused; the message is for the organizer."""


def is_frozen(campaign: Campaign) -> bool:
    return PetitionDelivery.objects.filter(campaign=campaign).exists()


def freeze_petition(
    campaign: Campaign, user: User | AnonymousUser | None, *, place: str = ""
) -> PetitionDelivery:
    """Stop counting signatures, note where the ledger stands, and start building the letter.

    The letter's total is the ledger's signature total at this moment; the PDF is built by
    `tasks.build_petition_pdf` once the freeze is committed.
    """
    try:
        with transaction.atomic():
            last = Action.objects.filter(
                campaign=campaign, action_type=ActionType.SIGNATURE
            ).aggregate(last=Max("pk"))["last"]
            delivery = PetitionDelivery(
                campaign=campaign,
                frozen_at=timezone.now(),
                frozen_by=user if isinstance(user, User) else None,
                last_action_id=last or 0,
                place=place.strip(),
                pdf_state=PetitionDelivery.PdfState.QUEUED,
            )
            delivery.signatures_total = ledger_signatures(delivery)
            delivery.save(force_insert=True)
            enqueue_with_writes(build_petition_pdf, delivery.pk)
    except IntegrityError as exc:
        raise DeliveryError(_("The petition is already frozen.")) from exc
    return delivery


def rebuild_petition_pdf(delivery: PetitionDelivery) -> None:
    """Build the letter again (after a failure, or a change of layout)."""
    if delivery.pdf_in_progress:
        raise DeliveryError(_("The letter is being built already."))
    with transaction.atomic():
        pdfjobs.queue(delivery)
        enqueue_with_writes(build_petition_pdf, delivery.pk)


def record_petition_posted(
    delivery: PetitionDelivery,
    *,
    posted_on: date,
    tracking_number: str,
    user: User | AnonymousUser | None,
) -> None:
    if delivery.pdf_state != PetitionDelivery.PdfState.READY:
        raise DeliveryError(_("Build the letter before recording that it was posted."))
    if posted_on < delivery.frozen_at.date():
        raise DeliveryError(_("The letter cannot be posted before the petition was frozen."))
    if posted_on > timezone.localdate():
        raise DeliveryError(_("The posting date is in the future."))
    delivery.posted_on = posted_on
    delivery.tracking_number = tracking_number.strip()
    delivery.posted_by = user if isinstance(user, User) else None
    delivery.save(update_fields=["posted_on", "tracking_number", "posted_by"])
