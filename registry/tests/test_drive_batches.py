"""A drive's cards at the mail desk: one batch per facility, first in line for the posting
date, and the desk's table of what must still go into which batch."""

from __future__ import annotations

import random

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from cases.models import Case, Facility
from conftest import Cast
from lantern import pdfjobs
from letters.models import Letter
from letters.services import LetterInput, approve_letter
from mail.services import build_batch, mail_queue, mark_batch_posted, posting_deadlines
from registry.models import Drive, Source
from registry.services import drive_counts, send_card
from registry.tests.conftest import add_prisoner, letters_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def horki(db: None) -> Facility:
    return Facility.objects.create(name="Penal colony No. 9, Horki", country="BY")


@pytest.fixture
def group(source: Source, colony: Facility, horki: Facility) -> dict[str, Case]:
    return {
        "babruysk-1": add_prisoner(source, colony, key="babruysk-1"),
        "babruysk-2": add_prisoner(source, colony, key="babruysk-2", max_letters_per_batch=2),
        "horki-1": add_prisoner(source, horki, key="horki-1"),
        "horki-2": add_prisoner(source, horki, key="horki-2"),
    }


def cards(drive: Drive, n: int, *, approve: bool = True) -> list[Letter]:
    rng = random.Random(3)
    sent = []
    for _ in range(n):
        letter = send_card(
            drive,
            LetterInput(
                kind="postcard",
                text="С Новым годом и Рождеством!",
                author_name="Anna Lindqvist",
                author_country="SE",
            ),
            rng=rng,
        )
        if approve:
            approve_letter(letter, None)
            letter.refresh_from_db()
        sent.append(letter)
    return sent


def test_each_facility_gets_a_batch_of_its_own_peoples_cards(
    drive: Drive, group: dict[str, Case], colony: Facility, horki: Facility
) -> None:
    sent = cards(drive, 4)

    at_babruysk = build_batch(colony, None)
    at_horki = build_batch(horki, None)

    babruysk_cases = {group["babruysk-1"].pk, group["babruysk-2"].pk}
    assert {item.letter.case_id for item in at_babruysk.items.all()} == babruysk_cases
    assert {item.letter.case_id for item in at_horki.items.all()} <= {
        group["horki-1"].pk,
        group["horki-2"].pk,
    }
    assert at_babruysk.items.count() + at_horki.items.count() == len(sent) == 4
    assert drive_counts(drive).reached == 4 and drive_counts(drive).without == 0


def test_cards_with_a_posting_date_go_first_when_a_cap_holds_letters_back(
    drive: Drive, group: dict[str, Case], colony: Facility, marathon: Campaign
) -> None:
    capped = group["babruysk-2"]
    earlier = letters_to(capped, 1, campaign=marathon)  # an ordinary letter, written first
    sent = [c for c in cards(drive, 4) if c.case == capped]
    assert sent, "the fair spread gave the capped person a card"

    queue = mail_queue(colony)

    ready_for_capped = [letter for letter in queue.ready if letter.case == capped]
    assert ready_for_capped[0] == sent[0]  # the card with its date, before the older letter
    assert set(ready_for_capped) | set(queue.over_cap) >= {*sent, *earlier}
    assert len(ready_for_capped) == 2  # the cap


def test_the_desk_sees_per_facility_what_must_be_posted_by_the_date(
    client: Client,
    cast: Cast,
    drive: Drive,
    group: dict[str, Case],
    colony: Facility,
    horki: Facility,
) -> None:
    cards(drive, 2, approve=False)  # with the moderators
    cards(drive, 2)  # ready
    batch = build_batch(colony, None)
    pdfjobs.start(batch, 1)
    pdfjobs.finish(batch, b"%PDF-1.7", "b.pdf")
    batch.refresh_from_db()
    mark_batch_posted(batch, posted_on=timezone.localdate(), tracking_number="", user=None)

    rows = {row.facility.name: row for row in posting_deadlines() if row.facility}

    assert set(rows) == {colony.name, horki.name}
    assert {row.post_by for row in rows.values()} == {drive.post_by}
    assert {row.campaign for row in rows.values()} == {"New Year greetings"}
    assert rows[colony.name].posted == batch.items.count()
    assert sum(r.in_moderation for r in rows.values()) == 2
    assert sum(r.to_post for r in rows.values()) + rows[colony.name].posted == 4
    client.force_login(cast.organizer)
    desk = client.get(reverse("mail:desk")).content.decode()
    assert "Posting dates" in desk and "New Year greetings" in desk
    assert f'datetime="{drive.post_by:%Y-%m-%d}"' in desk
    facility = client.get(reverse("mail:facility", args=[horki.pk])).content.decode()
    assert "post by" in facility


def test_reached_and_unreached_people_are_counted_as_cards_arrive(
    drive: Drive, group: dict[str, Case]
) -> None:
    before = drive_counts(drive)
    cards(drive, 3)
    after = drive_counts(drive)

    assert (before.group, before.reached, before.without) == (4, 0, 4)
    assert (after.group, after.reached, after.without) == (4, 3, 1)
