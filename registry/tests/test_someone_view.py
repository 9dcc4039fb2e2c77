"""The "write to someone who gets few letters" page: the writer's country, an offer, the letter."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from actions.models import Action
from campaigns.models import Campaign
from cases.models import Case, Facility
from letters.models import Letter
from registry.models import Assignment, Source
from registry.tests.conftest import add_prisoner

pytestmark = pytest.mark.django_db

TEXT = "Дарагі сябра! Пішу Вам з Варшавы. У нас вясна."


def url(campaign: Campaign) -> str:
    return reverse("registry:someone", args=[campaign.slug])


def filled(offer: str, **fields: str) -> dict[str, str]:
    """The letter form as a writer fills it in, answering `offer`."""
    return {
        "offer": offer,
        "kind": "letter",
        "text": TEXT,
        "author_name": "Zofia",
        "author_country": "PL",
        **fields,
    }


def offer_of(page: str) -> str:
    found = re.search(r'name="offer" value="([^"]+)"', page)
    assert found, "the page carries the signed offer"
    return found.group(1)


@pytest.fixture
def yanka(source: Source, colony: Facility) -> Case:
    return add_prisoner(source, colony, key="yanka-prykladny", name="Yanka Prykladny")


def test_the_campaign_and_home_pages_link_to_it(
    client: Client, marathon: Campaign, yanka: Case
) -> None:
    for page in (reverse("campaigns:detail", args=[marathon.slug]), reverse("campaigns:home")):
        assert f'href="{url(marathon)}"' in client.get(page).content.decode(), page


def test_no_link_without_anyone_in_the_registry_for_the_campaigns_countries(
    client: Client, marathon: Campaign, source: Source, colony: Facility
) -> None:
    add_prisoner(source, colony, key="elsewhere", country="RU")
    page = client.get(reverse("campaigns:detail", args=[marathon.slug])).content.decode()
    assert url(marathon) not in page


def test_the_writer_gives_a_country_then_is_offered_someone_and_writes(
    client: Client, marathon: Campaign, yanka: Case
) -> None:
    first = client.get(url(marathon))
    assert first.status_code == 200
    assert "Where do you write from?" in first.content.decode()

    offered = client.get(url(marathon), {"country": "PL"}).content.decode()
    assert "Write to Yanka Prykladny" in offered
    assert "Chosen for you among 1 people: 0 letters in the last 30 days." in offered
    response = client.post(
        url(marathon),
        filled(offer_of(offered)),
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("letters:written", args=[marathon.slug]))
    letter = Letter.objects.get()
    assert (letter.case, letter.campaign, letter.text) == (yanka, marathon, TEXT)
    assert letter.status in Letter.IN_MODERATION  # screened, waiting for a moderator
    assert Action.objects.get().case == yanka  # counted for the campaign, for Yanka
    assignment = Assignment.objects.get(letter=letter)
    assert (assignment.pool, assignment.letters_before, assignment.drive) == (1, 0, None)


def test_a_bad_country_is_asked_again(client: Client, marathon: Campaign, yanka: Case) -> None:
    response = client.get(url(marathon), {"country": "XX"})
    assert response.status_code == 400
    assert "Where do you write from?" in response.content.decode()


def test_letters_from_abroad_risky_are_offered_only_to_writers_at_home(
    client: Client, marathon: Campaign, source: Source, colony: Facility
) -> None:
    add_prisoner(source, colony, key="risky", name="Risky Case", letters_from_abroad_risky=True)

    from_poland = client.get(url(marathon), {"country": "PL"})
    from_belarus = client.get(url(marathon), {"country": "BY"}).content.decode()

    assert "No one to offer right now" in from_poland.content.decode()
    assert "Write to Risky Case" in from_belarus


def test_a_tampered_offer_gets_a_new_one(client: Client, marathon: Campaign, yanka: Case) -> None:
    forged = signing.dumps({"case": yanka.pk, "campaign": marathon.pk}, salt="another")
    response = client.post(
        url(marathon),
        filled(forged),
    )
    assert response.status_code == 302
    assert not Letter.objects.exists()


def test_someone_released_meanwhile_is_replaced_and_the_text_kept(
    client: Client, marathon: Campaign, yanka: Case, source: Source, colony: Facility
) -> None:
    offered = client.get(url(marathon), {"country": "PL"}).content.decode()
    yanka.status = Case.Status.RELEASED
    yanka.save(update_fields=["status"])
    add_prisoner(source, colony, key="alena", name="Alena Vydumanaya")

    response = client.post(
        url(marathon),
        filled(offer_of(offered)),
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Write to Alena Vydumanaya" in page
    assert "cannot get letters now; here is someone else" in page
    assert TEXT in page
    assert not Letter.objects.exists()


def test_a_person_taking_only_full_names_refuses_a_first_name(
    client: Client, marathon: Campaign, source: Source, colony: Facility
) -> None:
    add_prisoner(source, colony, key="named", name="Named Only", named_correspondents_only=True)
    offered = client.get(url(marathon), {"country": "PL"}).content.decode()
    refused = client.post(url(marathon), filled(offer_of(offered)))
    accepted = client.post(url(marathon), filled(offer_of(offered), author_name="Zofia Nowak"))

    assert refused.status_code == 409
    assert "signed with a full name" in refused.content.decode()
    assert accepted.status_code == 302
    assert Letter.objects.get().author_name == "Zofia Nowak"


def test_a_campaign_taking_no_letters_refuses(client: Client, yanka: Case) -> None:
    from lantern.testing import make_campaign

    petition = make_campaign(cases=[yanka], action_types=["signature"])
    assert client.get(url(petition)).status_code == 409


def test_other_methods_are_refused(client: Client, marathon: Campaign) -> None:
    assert client.put(url(marathon)).status_code == 405
