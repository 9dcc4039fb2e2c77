"""A card drive's public page: the greeting form, each card assigned by the fair spread, and
the drive's reach as counts, never names."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from campaigns.models import Campaign
from cases.models import Case, Facility
from letters.models import Letter
from letters.services import LetterInput, reject_letter
from registry.models import Assignment, Drive, Source
from registry.services import send_card
from registry.tests.conftest import add_prisoner

pytestmark = pytest.mark.django_db

GREETING = "С Новым годом! Желаем здоровья, сил и тепла."


@pytest.fixture
def group(source: Source, colony: Facility) -> list[Case]:
    return [
        add_prisoner(source, colony, key="alena", name="Alena Vydumanaya"),
        add_prisoner(source, colony, key="hanna", name="Hanna Zykhodnaya", may_be_published=False),
        add_prisoner(source, colony, key="dzianis", name="Dzianis Uiauny", status="in_transit"),
    ]


def card(author: str = "Anna Lindqvist", country: str = "SE") -> LetterInput:
    return LetterInput(kind="postcard", text=GREETING, author_name=author, author_country=country)


def page_of(client: Client, drive: Drive) -> str:
    return client.get(reverse("registry:drive", args=[drive.slug])).content.decode()


def test_the_page_counts_reached_and_unreached_people_without_naming_them(
    client: Client, drive: Drive, group: list[Case]
) -> None:
    send_card(drive, card())

    page = page_of(client, drive)

    assert "1 person has a card." in page
    assert "2 are still without one." in page
    assert "Of them, 1 cannot get a card now" in page  # in transit
    for case in group:
        assert case.name not in page


def test_a_rejected_card_does_not_count_as_reaching_anyone(
    client: Client, drive: Drive, group: list[Case], cast: object
) -> None:
    sent = send_card(drive, card())
    reject_letter(sent, "Speaks of the trial.", None)

    assert "0 people have a card." in page_of(client, drive)


def test_a_supporter_sends_a_card_and_learns_whom_it_goes_to(
    client: Client, drive: Drive, group: list[Case]
) -> None:
    response = client.post(
        reverse("registry:drive", args=[drive.slug]),
        {
            "kind": "postcard",
            "text": GREETING,
            "author_name": "Anna Lindqvist",
            "author_country": "SE",
        },
    )

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.case in group[:2]  # not the one in transit
    assert (letter.kind, letter.post_by, letter.campaign) == (
        Letter.Kind.POSTCARD,
        drive.post_by,
        drive.campaign,
    )
    assert Assignment.objects.get(letter=letter).drive == drive
    assert Action.objects.get().action_type == "card"
    sent = client.get(response["Location"]).content.decode()
    if letter.case.may_be_published:
        assert f"Your card goes to {letter.case.name}." in sent
    else:
        assert "Your card goes to a political prisoner who had none." in sent
        assert letter.case.name not in sent
    token = parse_qs(urlsplit(response["Location"]).query)["card"][0]
    assert str(letter.pk) not in token.split(":")[0]  # signed, not a bare id


def test_a_greeting_longer_than_the_drive_allows_is_refused_and_kept(
    client: Client, drive: Drive, group: list[Case]
) -> None:
    text = "С Новым годом! " * 20
    response = client.post(
        reverse("registry:drive", args=[drive.slug]),
        {"kind": "postcard", "text": text, "author_name": "Anna", "author_country": "SE"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "A card takes at most 200 characters" in page
    assert text.strip() in page
    assert not Letter.objects.exists()


def test_when_no_one_can_take_a_card_the_writer_is_told_and_the_text_kept(
    client: Client, drive: Drive, source: Source, colony: Facility
) -> None:
    add_prisoner(source, colony, key="only", max_letters_per_batch=1)
    send_card(drive, card())

    response = client.post(
        reverse("registry:drive", args=[drive.slug]),
        {"kind": "postcard", "text": GREETING, "author_name": "Anna", "author_country": "SE"},
    )

    assert response.status_code == 409
    assert "has one waiting" in response.content.decode()
    assert GREETING in response.content.decode()


def test_a_closed_drive_shows_its_counts_and_takes_no_card(
    client: Client, drive: Drive, group: list[Case]
) -> None:
    Drive.objects.filter(pk=drive.pk).update(closes_on=timezone.localdate() - timedelta(days=1))

    page = page_of(client, drive)
    post = client.post(reverse("registry:drive", args=[drive.slug]), {"text": GREETING})

    assert "This card drive is closed" in page and "<textarea" not in page
    assert post.status_code == 409
    assert not Letter.objects.exists()


def test_a_draft_campaigns_drive_is_hidden(client: Client, drive: Drive) -> None:
    Campaign.objects.filter(pk=drive.campaign_id).update(status=Campaign.Status.DRAFT)
    assert client.get(reverse("registry:drive", args=[drive.slug])).status_code == 404


def test_the_page_reads_seven_queries_for_any_number_of_people_and_cards(
    client: Client, drive: Drive, source: Source, colony: Facility, django_assert_num_queries
) -> None:
    for n in range(3):
        add_prisoner(source, colony, key=f"p-{n}")
    send_card(drive, card())
    url = reverse("registry:drive", args=[drive.slug])
    client.get(url)  # sessions, first visit
    with django_assert_num_queries(7) as few:
        client.get(url)
    for n in range(3, 30):
        add_prisoner(source, colony, key=f"p-{n}")
    for _ in range(20):
        send_card(drive, card())
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
