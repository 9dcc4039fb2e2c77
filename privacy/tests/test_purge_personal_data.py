"""The retention purge: RETENTION_DAYS after a campaign closes, its supporters' names, cities,
sealed contacts and kept addresses go; the ledger rows stay and no total changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.tallies import read_totals
from audit.models import AuditEntry
from campaigns.models import Campaign
from campaigns.services import close_campaign
from lantern.testing import make_campaign
from letters.models import Letter
from petitions.models import Signature
from petitions.services import SignatureInput, sign_petition
from privacy.models import PrivacyRequest, TransientAddress
from privacy.services import purge_personal_data, request_privacy
from privacy.tests.helpers import write_with_contact
from reports.services import campaign_report

pytestmark = pytest.mark.django_db


def fill(campaign: Campaign) -> None:
    for n in range(3):
        data = SignatureInput(
            name=f"Signer {n}", email=f"s{n}@example.org", country="PL", city="Łódź",
            consent_contact=True,
        )  # fmt: skip
        sign_petition(campaign, data)
    write_with_contact(campaign)


@pytest.fixture
def closed(settings: object) -> Campaign:
    settings.RETENTION_DAYS = 30  # type: ignore[attr-defined]
    campaign = make_campaign(slug="w4r-2012")
    fill(campaign)
    close_campaign(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now() - timedelta(days=31))
    return campaign


def personal(campaign: Campaign) -> list[tuple[object, ...]]:
    signatures = Signature.objects.filter(campaign=campaign).values_list(
        "name", "city", "email_hash", "email_sealed", "partner_email_sealed"
    )
    letters = Letter.objects.filter(campaign=campaign).values_list(
        "author_name", "author_contact_sealed", "author_email_hash"
    )
    return [
        *(tuple(v for v in row if v not in ("", None)) for row in signatures),
        *(tuple(v for v in row if v not in ("", None)) for row in letters),
    ]


def test_personal_data_goes_and_every_total_stays(closed: Campaign) -> None:
    report_before = campaign_report(closed)
    totals_before = read_totals(closed.pk)

    result = purge_personal_data()

    assert result.campaigns == ["w4r-2012"]
    assert (result.anonymized.signatures, result.anonymized.letters) == (3, 1)
    assert personal(closed) == [(), (), (), ()]
    assert Signature.objects.filter(campaign=closed, anonymized_at__isnull=False).count() == 3
    assert campaign_report(closed) == report_before
    assert read_totals(closed.pk) == totals_before
    assert not TransientAddress.objects.exists()  # the letter's kept address went too
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.DATA_PURGED)
    assert (entry.actor, entry.records, entry.object_id) == ("retention task", 4, str(closed.pk))


def test_a_second_purge_finds_nothing(closed: Campaign) -> None:
    purge_personal_data()

    again = purge_personal_data()

    assert again.campaigns == []
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DATA_PURGED).count() == 1


def test_live_and_recently_closed_campaigns_keep_their_data(closed: Campaign) -> None:
    live = make_campaign(slug="live")
    fill(live)
    recent = make_campaign(slug="recent")
    fill(recent)
    close_campaign(recent)

    purge_personal_data()

    assert len(personal(live)) == 4 and all(personal(live))
    assert len(personal(recent)) == 4 and all(personal(recent))


def test_expired_addresses_and_old_requests_are_deleted(settings: object) -> None:
    campaign = make_campaign(requires_confirmation=True)
    sign_petition(campaign, SignatureInput(name="A", email="a@example.org", country="PL"))
    request_privacy("b@example.org", PrivacyRequest.Kind.EXPORT)
    later = timezone.now() + timedelta(hours=settings.TRANSIENT_ADDRESS_HOURS + 1)  # type: ignore[attr-defined]

    result = purge_personal_data(now=later)

    assert result.addresses == 2
    assert result.requests == 1
    assert not TransientAddress.objects.exists()
    assert not PrivacyRequest.objects.exists()
