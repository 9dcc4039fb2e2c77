"""Petition delivery: freeze at the deadline, the letter built by the real worker, posting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from actions.models import Action
from actions.rows import ActionInput
from actions.services import record_actions
from actions.types import ActionType, Channel, Source
from lantern.testing import make_campaign, make_partner, run_task_worker
from lantern.tests.pdftools import PdfFont, flat, pdf_fonts, pdf_pages, pdf_text
from petitions.models import PetitionDelivery, Signature
from petitions.services import (
    CampaignNotSignable,
    ConfirmOutcome,
    DeliveryError,
    SignatureInput,
    confirm_signature,
    freeze_petition,
    record_petition_posted,
    sign_petition,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the build task is enqueued on commit

SIGNERS = [
    ("Zofia Łukasiewicz", "full", "PL"),
    ("Алесь Бяляцкі", "full", "BY"),
    ("Ελευθερία Παπαδοπούλου", "full", "GR"),
    ("李明", "full", "CN"),
    ("佐藤 さくら", "full", "JP"),
    ("김민준", "full", "KR"),
    ("John Ronald Smith", "initials", "GB"),
    ("Hidden Person", "anonymous", "SE"),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def campaign():
    return make_campaign(
        title="Send a message to Ales Bialiatski",
        petition_target="Ales Bialiatski, penal colony No. 2, Babruysk",
        petition_text="Ales, we stand with you.\n\nYou are not forgotten.",
        delivery_deadline=date(2013, 7, 31),
    )


def sign(campaign, name, display="full", country="PL", *, consent=True, n=0):
    return sign_petition(
        campaign,
        SignatureInput(
            name=name,
            email=f"{abs(hash((name, n)))}@example.org",
            country=country,
            name_display=display,
            consent_letter=consent,
        ),
    )


def built(campaign) -> bytes:
    run_task_worker()
    delivery = PetitionDelivery.objects.get(campaign=campaign)
    assert delivery.pdf_state == PetitionDelivery.PdfState.READY, delivery.pdf_error
    with delivery.pdf.open("rb") as handle:
        return bytes(handle.read())


def test_the_letter_lists_consenting_signers_as_each_chose_with_ledger_totals(campaign):
    for name, display, country in SIGNERS:
        sign(campaign, name, display, country)
    sign(campaign, "Private Signer", consent=False)
    record_actions(
        campaign,
        make_partner(),
        [
            ActionInput(
                occurred_at=timezone.now(),
                utc_offset_minutes=0,
                country="PL",
                city="Warsaw",
                action_type=ActionType.SIGNATURE,
                count=500,
                note="Paper petitions",
                channel=Channel.PAPER,
                external_id="paper-1",
            )
        ],
        source=Source.IMPORT,
    )

    delivery = freeze_petition(campaign, None, place="Stockholm")
    pdf = built(campaign)

    ledger = Action.objects.filter(campaign=campaign, action_type=ActionType.SIGNATURE)
    assert delivery.signatures_total == ledger.aggregate(n=Sum("count"))["n"] == 509
    text = flat(pdf_text(pdf))
    assert "Ales Bialiatski, penal colony No. 2, Babruysk" in text
    assert "Ales, we stand with you." in text and "You are not forgotten." in text
    assert "509 signatures" in text
    assert "7 signers agreed to have their names on this letter" in text
    assert "1 more signed without a name on the letter" in text
    assert "501 signatures were collected on paper" in text
    for name, _display, _country in SIGNERS[:6]:
        assert name in text
    assert "Zofia Łukasiewicz (Poland)" in text
    assert "Алесь Бяляцкі (Belarus)" in text
    assert "J. R. S. (United Kingdom)" in text
    assert "John Ronald Smith" not in text
    assert "Hidden Person" not in text and "Private Signer" not in text
    assert f"Stockholm, {delivery.frozen_at:%-d %B %Y}" in text
    assert {font.name for font in pdf_fonts(pdf)} == {
        "NotoSans-Regular",
        "NotoSans-Bold",
        "NotoSansCJKsc-Regular",
    }
    assert all(font.embedded for font in pdf_fonts(pdf))
    assert PdfFont("NotoSansCJKsc-Regular", embedded=True) in pdf_fonts(pdf)


def test_thousands_of_names_paginate_with_numbered_pages_and_progress_recorded(campaign):
    names = [f"Signer {n:05d}" for n in range(3_000)]
    actions = Action.objects.bulk_create(
        Action(
            campaign=campaign,
            action_type=ActionType.SIGNATURE,
            country="PL",
            occurred_at=timezone.now(),
            channel=Channel.ONLINE,
            source=Source.WEB,
        )
        for _ in names
    )
    Signature.objects.bulk_create(
        Signature(
            campaign=campaign,
            name=name,
            country="PL",
            consent_letter=True,
            email_hash=f"h{n}",
            email_sealed=b"",
            action=action,
        )
        for n, (name, action) in enumerate(zip(names, actions, strict=True))
    )

    freeze_petition(campaign, None)
    pages = pdf_pages(built(campaign))

    delivery = PetitionDelivery.objects.get(campaign=campaign)
    assert (delivery.pdf_done, delivery.pdf_total) == (3_001, 3_001)
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in page
        assert "3,000 signatures" in page  # the footer of every page
    text = flat(" ".join(pages))
    assert all(name in text for name in names)


def test_after_the_freeze_no_signature_is_added_or_counted(campaign):
    campaign.requires_confirmation = True
    campaign.save(update_fields=["requires_confirmation"])
    sign(campaign, "Late Confirmer")
    pending = Signature.objects.get()

    freeze_petition(campaign, None)

    with pytest.raises(CampaignNotSignable):
        sign(campaign, "Too Late")
    assert confirm_signature(pending) is ConfirmOutcome.TOO_LATE
    assert not Action.objects.exists()
    assert Signature.objects.count() == 1


def test_a_petition_is_frozen_once(campaign):
    freeze_petition(campaign, None)

    with pytest.raises(DeliveryError, match="already frozen"):
        freeze_petition(campaign, None)


def test_posting_is_recorded_once_the_letter_is_built(campaign):
    delivery = freeze_petition(campaign, None)
    today = timezone.localdate()

    with pytest.raises(DeliveryError, match="Build the letter"):
        record_petition_posted(delivery, posted_on=today, tracking_number="", user=None)
    built(campaign)
    delivery.refresh_from_db()
    with pytest.raises(DeliveryError, match="future"):
        record_petition_posted(
            delivery, posted_on=today + timedelta(days=1), tracking_number="", user=None
        )
    record_petition_posted(delivery, posted_on=today, tracking_number=" RR123SE ", user=None)

    delivery.refresh_from_db()
    assert (delivery.posted_on, delivery.tracking_number) == (today, "RR123SE")
