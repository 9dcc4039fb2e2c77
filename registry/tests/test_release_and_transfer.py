"""Released and transferred prisoners everywhere: a refresh or a hand correction moves their
unposted letters, a release holds them, and the public pages say where the person stands."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.services import record_action
from actions.types import Source as ActionSource
from campaigns.models import Campaign
from cases.models import Case, Facility
from conftest import Cast
from lantern.testing import make_campaign
from letters.models import Letter
from mail.models import MailBatch, MailItem
from mail.services import build_batch, held_not_in_custody, mail_queue
from registry.models import Source
from registry.refresh import values_now
from registry.services import correct_prisoner
from registry.tests.conftest import FIRST, SECOND, case_of, letters_to, load, prisoner

pytestmark = pytest.mark.django_db

WEB = ActionSource.WEB


@pytest.fixture
def refreshed_once(source: Source) -> Source:
    load(source, FIRST, ago=35)
    return source


@pytest.fixture
def campaign(refreshed_once: Source) -> Campaign:
    """A live campaign whose cases are two registry prisoners: Pavel and Volha."""
    return make_campaign(slug="marathon", cases=[case_of("viasna-0006"), case_of("viasna-0007")])


def test_a_refresh_that_transfers_someone_reroutes_their_unposted_batch(
    refreshed_once: Source, campaign: Campaign
) -> None:
    pavel = case_of("viasna-0006")
    letters = letters_to(pavel, 2, campaign=campaign)
    navapolatsk = pavel.current_address().facility  # type: ignore[union-attr]
    batch = build_batch(navapolatsk, None)

    load(refreshed_once, SECOND, ago=5)

    assert not MailBatch.objects.filter(pk=batch.pk).exists()  # only Pavel's letters were in it
    horki = Facility.objects.get(name="Penal colony No. 9, Horki")
    assert mail_queue(horki).ready == letters
    assert mail_queue(navapolatsk).ready == []


def test_a_refresh_that_releases_someone_holds_their_letters(
    refreshed_once: Source, campaign: Campaign
) -> None:
    volha = case_of("viasna-0007")
    (batched,) = letters_to(volha, 1, campaign=campaign)
    build_batch(volha.current_address().facility, None)  # type: ignore[union-attr]
    (waiting,) = letters_to(volha, 1, campaign=campaign, status=Letter.Status.SUBMITTED)

    load(refreshed_once, SECOND, ago=5)

    assert not MailItem.objects.filter(letter=batched).exists()
    assert held_not_in_custody() == [batched]
    waiting.refresh_from_db()
    assert (
        waiting.status == Letter.Status.SUBMITTED
    )  # still with the moderators; held once approved


def test_a_hand_correction_with_a_new_facility_is_a_transfer(
    refreshed_once: Source, campaign: Campaign
) -> None:
    pavel = prisoner("viasna-0006")
    letters = letters_to(pavel.case, 1, campaign=campaign)
    build_batch(pavel.case.current_address().facility, None)  # type: ignore[union-attr]
    values = values_now(pavel)

    correct_prisoner(
        pavel,
        {**values, "facility": {"name": "Prison No. 4, Mahiliou", "address": ["Тюрьма № 4"]}},
        user=None,
        note="His lawyer",
    )

    address = pavel.case.current_address()
    assert address is not None and address.facility.name == "Prison No. 4, Mahiliou"
    assert mail_queue(address.facility).ready == letters
    assert pavel.case.events.filter(kind="transfer").exists()
    assert pavel.corrected == ["facility"]


def test_a_new_address_period_in_the_admin_reroutes_too(
    client: Client, cast: Cast, refreshed_once: Source, campaign: Campaign
) -> None:
    pavel = case_of("viasna-0006")
    letters_to(pavel, 1, campaign=campaign)
    old = pavel.current_address()
    assert old is not None
    build_batch(old.facility, None)
    horki = Facility.objects.get(name="Penal colony No. 9, Horki")
    old.valid_to = timezone.localdate() - timedelta(days=1)
    old.save(update_fields=["valid_to"])
    client.force_login(cast.organizer)

    response = client.post(
        reverse("admin:cases_addressperiod_add"),
        {
            "case": pavel.pk,
            "facility": horki.pk,
            "valid_from": timezone.localdate().isoformat(),
            "address_lines": "Исправительная колония № 9",
            "recipient_line": "Няісны Павел, 1969",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert not MailItem.objects.exists()
    assert len(mail_queue(horki).ready) == 1


def test_the_public_pages_show_a_release(
    client: Client, refreshed_once: Source, campaign: Campaign
) -> None:
    load(refreshed_once, SECOND, ago=5)
    volha = case_of("viasna-0007")
    day = timezone.localdate() - timedelta(days=5)  # the release: the list of five days ago
    record_action(campaign, case_id=volha.pk, action_type="letter", country="PL", source=WEB)

    campaign_page = client.get(reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    case_page = client.get(reverse("registry:prisoner", args=[volha.slug])).content.decode()
    write = client.get(reverse("letters:write", args=[campaign.slug]), {"case": volha.slug})
    results = client.get(reverse("reports:results", args=[campaign.slug])).content.decode()

    released = f"Released on {day.day} {day:%B %Y}."
    assert released in campaign_page
    assert f"?case={volha.slug}" not in campaign_page  # no "write to" link for her
    assert f"?case={case_of('viasna-0006').slug}" in campaign_page
    assert released in case_page
    assert "Letters are no longer posted to a prison for this person" in case_page
    assert write.status_code == 409
    assert "Volha Kazachnaya has been released" in write.content.decode()
    assert "Volha Kazachnaya (Released)" in results


def test_the_public_pages_show_a_transfer_and_a_move(
    client: Client, refreshed_once: Source, campaign: Campaign
) -> None:
    load(refreshed_once, SECOND, ago=5)
    dzianis = case_of("viasna-0011")

    pavel_page = client.get(
        reverse("registry:prisoner", args=[case_of("viasna-0006").slug])
    ).content.decode()
    moving_page = client.get(reverse("registry:prisoner", args=[dzianis.slug])).content.decode()

    assert "Penal colony No. 9, Horki" in pavel_page
    assert "Transferred to Penal colony No. 9, Horki." in pavel_page
    assert "Being moved between prisons." in moving_page
    assert dzianis.status == Case.Status.IN_TRANSIT


def test_a_case_that_may_not_be_named_has_no_public_page(
    client: Client, refreshed_once: Source
) -> None:
    hanna = case_of("viasna-0017")
    hanna.may_be_published = False
    hanna.save(update_fields=["may_be_published"])

    assert client.get(reverse("registry:prisoner", args=[hanna.slug])).status_code == 404
    assert client.get(reverse("registry:prisoner", args=["nobody"])).status_code == 404
