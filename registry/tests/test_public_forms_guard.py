"""The guard in front of the registry's public forms (write to someone, a drive's card):
proof-of-work, honeypot and rate limits, as on the letter form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from cases.models import Case, Facility
from lantern.conf import parse_rates
from lantern.testing import with_pow
from letters.models import Letter
from letters.services import RATE_LIMIT_RULE
from registry.models import Drive, Source
from registry.tests.conftest import add_prisoner

pytestmark = pytest.mark.django_db

GREETING = "С Новым годом! Желаем здоровья, сил и тепла."
CARD = {"kind": "postcard", "text": GREETING, "author_name": "Anna", "author_country": "SE"}


@pytest.fixture
def yanka(source: Source, colony: Facility) -> Case:
    return add_prisoner(source, colony, key="yanka-prykladny", name="Yanka Prykladny")


def someone_form(client: Client, campaign: Campaign) -> dict[str, str]:
    url = reverse("registry:someone", args=[campaign.slug])
    page = client.get(url, {"country": "PL"}).content.decode()
    offer = re.search(r'name="offer" value="([^"]+)"', page)
    assert offer, page[:500]
    text = "Добры дзень! Пішу вам з Кракава, у нас ужо снег."
    return {"offer": offer.group(1), "kind": "letter", "text": text, "author_name": "Zofia",
            "author_country": "PL"}  # fmt: skip


def drive_url(drive: Drive) -> str:
    return reverse("registry:drive", args=[drive.slug])


def test_a_card_without_a_proof_of_work_comes_back_unsent(
    client: Client, drive: Drive, yanka: Case
) -> None:
    response = client.post(drive_url(drive), CARD)

    assert response.status_code == 400
    assert "make sure JavaScript is turned on" in response.content.decode()
    assert GREETING in response.content.decode(), "the greeting is kept"
    assert not Letter.objects.exists()


def test_a_card_with_a_filled_honeypot_is_not_stored(
    client: Client, drive: Drive, yanka: Case
) -> None:
    response = client.post(drive_url(drive), {**with_pow(CARD), "website": "x"})

    assert response.status_code == 400
    assert not Letter.objects.exists()


def test_cards_past_the_hard_limit_get_429(
    client: Client, drive: Drive, yanka: Case, source: Source, colony: Facility, settings: Any
) -> None:
    add_prisoner(source, colony, key="alena", name="Alena Vydumanaya")
    settings.LETTER_RATE_CLIENT_HARD = parse_rates("1/hour")

    first = client.post(drive_url(drive), with_pow(CARD))
    second = client.post(drive_url(drive), with_pow(CARD))

    assert (first.status_code, second.status_code) == (302, 429)
    assert Letter.objects.count() == 1


def test_a_letter_to_someone_without_a_proof_of_work_is_not_stored(
    client: Client, marathon: Campaign, yanka: Case
) -> None:
    response = client.post(
        reverse("registry:someone", args=[marathon.slug]), someone_form(client, marathon)
    )

    assert response.status_code == 400
    assert "make sure JavaScript is turned on" in response.content.decode()
    assert "Write to Yanka Prykladny" in response.content.decode(), "the offer stands"
    assert not Letter.objects.exists()


def test_a_letter_to_someone_past_the_soft_limit_waits_for_review(
    client: Client, marathon: Campaign, yanka: Case, settings: Any
) -> None:
    settings.LETTER_RATE_CLIENT_SOFT = parse_rates("1/hour")
    url = reverse("registry:someone", args=[marathon.slug])

    client.post(url, with_pow(someone_form(client, marathon)))
    client.post(url, with_pow({**someone_form(client, marathon), "author_name": "Jan"}))

    first, second = Letter.objects.order_by("pk")
    assert not first.findings.filter(rule=RATE_LIMIT_RULE).exists()
    assert second.status == Letter.Status.NEEDS_REVIEW
    assert second.findings.filter(rule=RATE_LIMIT_RULE).exists()
