"""Which letters go into a facility's batch, and which wait (and why)."""

from __future__ import annotations

from datetime import date

import pytest

from cases.models import Case
from letters.models import Letter
from mail.models import MailItem
from mail.services import MailError, build_batch, held_in_transit, mail_queue
from mail.tests.factories import make_address, make_case_at, make_facility, make_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def facility():
    return make_facility()


def test_approved_and_translated_letters_at_the_facility_make_one_batch(facility):
    case = make_case_at(facility, name="Ales Bialiatski")
    approved = make_letter(case)
    translated = make_letter(
        case, language="en", status=Letter.Status.TRANSLATED, translation="Дорогой Алесь"
    )
    make_letter(case, status=Letter.Status.NEEDS_REVIEW)
    make_letter(case, status=Letter.Status.REJECTED)

    batch = build_batch(facility, None)

    items = list(batch.items.order_by("position"))
    assert [item.letter_id for item in items] == [approved.pk, translated.pk]
    assert [item.position for item in items] == [1, 2]
    assert {item.letter.status for item in items} == {Letter.Status.BATCHED}
    assert batch.pdf_state == batch.PdfState.QUEUED


def test_letters_to_a_case_in_transit_are_held_not_batched(facility):
    moving = make_case_at(facility, status=Case.Status.IN_TRANSIT)
    staying = make_case_at(facility)
    held = make_letter(moving)
    sent = make_letter(staying)

    queue = mail_queue(facility)
    batch = build_batch(facility, None)

    assert queue.held_in_transit == [held]
    assert [item.letter for item in batch.items.all()] == [sent]
    held.refresh_from_db()
    assert held.status == Letter.Status.APPROVED
    assert not MailItem.objects.filter(letter=held).exists()


def test_a_facility_with_only_held_letters_makes_no_batch(facility):
    make_letter(make_case_at(facility, status=Case.Status.IN_TRANSIT))

    with pytest.raises(MailError, match="No letter is ready"):
        build_batch(facility, None)


def test_held_letters_go_out_once_the_case_arrives(facility):
    case = make_case_at(facility, status=Case.Status.IN_TRANSIT)
    letter = make_letter(case)
    case.status = Case.Status.SENTENCED
    case.save(update_fields=["status"])

    batch = build_batch(facility, None)

    assert [item.letter for item in batch.items.all()] == [letter]


def test_the_cases_cap_on_letters_per_batch_holds_and_the_rest_wait(facility):
    capped = make_case_at(facility, max_letters_per_batch=2)
    free = make_case_at(facility)
    capped_letters = [make_letter(capped) for _ in range(5)]
    free_letters = [make_letter(free) for _ in range(3)]

    queue = mail_queue(facility)
    first = build_batch(facility, None)
    second = build_batch(facility, None)

    assert queue.over_cap == capped_letters[2:]
    assert {item.letter_id for item in first.items.all()} == {
        letter.pk for letter in capped_letters[:2] + free_letters
    }
    assert [item.letter_id for item in second.items.all()] == [
        letter.pk for letter in capped_letters[2:4]
    ]


def test_letters_in_a_language_the_facility_refuses_wait_for_their_translation(facility):
    case = make_case_at(facility)
    english = make_letter(case, language="en", text="Dear Ales, we think of you.")
    russian = make_letter(case, language="ru")

    queue = mail_queue(facility)

    assert queue.awaiting_translation == [english]
    assert queue.ready == [russian]


def test_only_cases_whose_current_address_is_at_the_facility(facility):
    other = make_facility(name="Pre-trial prison No. 1, Minsk")
    moved = make_case_at(facility)
    make_address(moved, other, valid_from=date(2020, 1, 1))  # later: now at the other place
    make_letter(moved)
    here = make_letter(make_case_at(facility))

    batch = build_batch(facility, None)

    assert [item.letter for item in batch.items.all()] == [here]
    assert mail_queue(other).ready[0].case == moved


def test_a_letter_goes_into_one_batch_only(facility):
    make_letter(make_case_at(facility))
    build_batch(facility, None)

    with pytest.raises(MailError):
        build_batch(facility, None)


def test_the_batch_keeps_the_address_the_letter_was_sent_to(facility):
    case = make_case_at(facility)
    make_letter(case)

    item = build_batch(facility, None).items.get()

    assert item.address == case.current_address()


def test_letters_of_a_case_in_transit_are_listed_as_held_even_without_a_current_address(facility):
    moved = make_case_at(facility, status=Case.Status.IN_TRANSIT)
    moved.address_periods.update(valid_to=date(2020, 1, 1))  # the old address is closed
    letter = make_letter(moved)
    make_letter(make_case_at(facility))

    assert held_in_transit() == [letter]
    assert letter not in mail_queue(facility).ready + mail_queue(facility).held_in_transit
