"""When a person moves or leaves prison, their letters leave the batches not yet posted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from lantern import pdfjobs
from letters.models import Letter, Translation
from mail.models import MailBatch, MailItem
from mail.services import build_batch, mail_queue, mark_batch_posted, reroute_unposted
from mail.tests.factories import make_address, make_case_at, make_facility, make_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def babruysk():
    return make_facility()


@pytest.fixture
def horki():
    return make_facility(name="Penal colony No. 9, Horki")


def printed(batch: MailBatch) -> MailBatch:
    pdfjobs.start(batch, 1)
    pdfjobs.finish(batch, b"%PDF-1.7 batch", "batch.pdf")
    batch.refresh_from_db()
    return batch


def moved(case: Case, facility, days: int = 0) -> None:
    """A new address period from today; the old one ends yesterday."""
    today = timezone.localdate()
    case.address_periods.filter(valid_to__isnull=True).update(valid_to=today - timedelta(days=1))
    make_address(case, facility, valid_from=today - timedelta(days=days))


def test_a_moved_persons_letters_leave_the_unposted_batch_for_the_new_facility(babruysk, horki):
    moving = make_case_at(babruysk, name="Pavel Niaisny")
    staying = make_case_at(babruysk, name="Yanka Prykladny")
    letters = [make_letter(moving), make_letter(moving), make_letter(staying)]
    batch = printed(build_batch(babruysk, None))

    moved(moving, horki)
    result = reroute_unposted([moving.pk])

    assert (result.letters, result.batches_rebuilt, result.batches_emptied) == (2, 1, 0)
    assert [item.letter for item in batch.items.all()] == [letters[2]]
    batch.refresh_from_db()
    assert batch.pdf_state == MailBatch.PdfState.QUEUED  # the old printout cannot be posted
    for letter in letters[:2]:
        letter.refresh_from_db()
        assert letter.status == Letter.Status.APPROVED
    assert mail_queue(horki).ready == letters[:2]
    assert mail_queue(babruysk).ready == []


def test_a_batch_left_empty_is_deleted(babruysk, horki):
    moving = make_case_at(babruysk)
    make_letter(moving)
    batch = build_batch(babruysk, None)

    moved(moving, horki)
    result = reroute_unposted([moving.pk])

    assert result.batches_emptied == 1
    assert not MailBatch.objects.filter(pk=batch.pk).exists()


def test_a_translation_the_new_prison_cannot_read_sends_the_letter_back_to_translators(
    babruysk,
):
    russian_only = make_facility(name="Prison No. 4, Mahiliou", accepted_languages=["ru"])
    moving = make_case_at(babruysk)
    letter = make_letter(moving, language="en", status=Letter.Status.TRANSLATED)
    Translation.objects.create(letter=letter, language="be", text="Дарагі сябра")
    build_batch(babruysk, None)

    moved(moving, russian_only)
    reroute_unposted([moving.pk])

    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED
    assert mail_queue(russian_only).awaiting_translation == [letter]


def test_a_release_takes_the_letters_out_and_holds_them(babruysk):
    freed = make_case_at(babruysk)
    letter = make_letter(freed)
    build_batch(babruysk, None)

    freed.status = Case.Status.RELEASED
    freed.save(update_fields=["status"])
    reroute_unposted([freed.pk])

    assert not MailItem.objects.filter(letter=letter).exists()
    queue = mail_queue(babruysk)
    assert (queue.ready, queue.held_not_in_custody) == ([], [letter])


def test_posted_batches_are_history_and_stay_as_they_were(babruysk, horki):
    moving = make_case_at(babruysk)
    letter = make_letter(moving)
    batch = printed(build_batch(babruysk, None))
    mark_batch_posted(batch, posted_on=timezone.localdate(), tracking_number="", user=None)

    moved(moving, horki)
    result = reroute_unposted([moving.pk])

    assert result.letters == 0
    assert MailItem.objects.get(letter=letter).batch == batch


def test_a_new_address_at_the_same_facility_updates_the_item(babruysk):
    case = make_case_at(babruysk)
    letter = make_letter(case)
    batch = printed(build_batch(babruysk, None))
    case.address_periods.update(valid_to=timezone.localdate() - timedelta(days=1))
    new = make_address(case, babruysk, valid_from=timezone.localdate(), recipient_line="New line")

    result = reroute_unposted([case.pk])

    assert (result.letters, result.batches_rebuilt) == (0, 1)
    assert MailItem.objects.get(letter=letter).address == new
    batch.refresh_from_db()
    assert batch.pdf_state == MailBatch.PdfState.QUEUED
