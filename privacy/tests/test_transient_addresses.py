"""What the server itself must send needs the address for a moment: a copy sealed to the
server's key is kept until the email is sent (or TRANSIENT_ADDRESS_HOURS pass), then erased."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import SmtpServer
from lantern import pdfjobs
from lantern.testing import make_campaign, run_task_worker
from letters.models import Letter
from letters.services import approve_letter, reject_letter
from mail.services import build_batch, mark_batch_posted
from mail.tests.factories import make_case_at, make_facility
from petitions.models import Signature
from petitions.services import SignatureInput, sign_petition
from privacy.models import TransientAddress
from privacy.services import address_for
from privacy.tests.helpers import write_with_contact

pytestmark = pytest.mark.django_db(transaction=True)  # emails are enqueued on commit
Purpose = TransientAddress.Purpose
SIGNER = SignatureInput(name="Zofia Nowak", email="Zofia@Example.org", country="PL")


def kept() -> list[tuple[str, int]]:
    return list(TransientAddress.objects.values_list("purpose", "object_id"))


def test_the_confirmation_address_is_kept_until_the_email_is_sent(
    smtp_server: SmtpServer,
) -> None:
    campaign = make_campaign(requires_confirmation=True)
    sign_petition(campaign, SIGNER)
    signature = Signature.objects.get()
    stored = bytes(TransientAddress.objects.get().sealed)

    assert kept() == [(Purpose.SIGNATURE_CONFIRMATION, signature.pk)]
    assert b"zofia" not in stored.lower()  # sealed, even to the server's own key
    run_task_worker()

    assert [m["To"] for m in smtp_server.messages] == ["zofia@example.org"]
    assert kept() == []


def test_signing_again_before_confirming_keeps_the_address_again_for_the_reminder(
    smtp_server: SmtpServer,
) -> None:
    campaign = make_campaign(requires_confirmation=True)
    sign_petition(campaign, SIGNER)
    run_task_worker()

    sign_petition(campaign, SIGNER)
    run_task_worker()

    assert [m["To"] for m in smtp_server.messages] == ["zofia@example.org"] * 2
    assert kept() == []


def test_an_expired_address_is_not_used_and_no_email_goes(
    smtp_server: SmtpServer, settings: object
) -> None:
    campaign = make_campaign(requires_confirmation=True)
    sign_petition(campaign, SIGNER)
    signature = Signature.objects.get()
    TransientAddress.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert address_for(Purpose.SIGNATURE_CONFIRMATION, signature.pk) is None
    run_task_worker()

    assert smtp_server.messages == []


def _letter() -> Letter:
    return write_with_contact(make_campaign())


def test_a_rejected_letters_author_is_emailed_and_the_address_then_erased(
    smtp_server: SmtpServer,
) -> None:
    letter = _letter()
    assert kept() == [(Purpose.LETTER_AUTHOR, letter.pk)]

    reject_letter(letter, "It names the prison guards.", None)
    run_task_worker()

    assert [m["To"] for m in smtp_server.messages] == ["zofia@example.org"]
    assert kept() == []
    letter.refresh_from_db()
    assert letter.author_contact_sealed is not None  # the organization's sealed copy stays


def test_an_approved_letters_address_is_kept_until_its_batch_is_posted() -> None:
    facility = make_facility(accepted_languages=["en"])  # no translation needed
    letter = write_with_contact(make_campaign(cases=[make_case_at(facility)]))

    approve_letter(letter, None)
    assert kept() == [(Purpose.LETTER_AUTHOR, letter.pk)]  # the person may leave prison first
    batch = build_batch(facility, None)
    pdfjobs.start(batch, 1)
    pdfjobs.finish(batch, b"%PDF-1.7 batch", "batch.pdf")
    batch.refresh_from_db()
    mark_batch_posted(batch, posted_on=timezone.localdate(), tracking_number="", user=None)

    assert kept() == []
