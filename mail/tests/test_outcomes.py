"""Posting a batch, recording what became of each letter, and the per-facility statistics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern import pdfjobs
from letters.models import Letter
from mail.models import MailBatch, MailItem
from mail.services import (
    MailError,
    build_batch,
    facility_outcomes,
    mark_batch_posted,
    record_outcome,
)
from mail.tests.factories import make_case_at, make_facility, make_letter

pytestmark = pytest.mark.django_db


def printed(batch: MailBatch) -> MailBatch:
    """A batch whose PDF is built (the build itself is tested with the real worker)."""
    pdfjobs.start(batch, 1)
    pdfjobs.finish(batch, b"%PDF-1.7 batch", "batch.pdf")
    batch.refresh_from_db()
    return batch


def batch_of(facility, n: int) -> MailBatch:
    case = make_case_at(facility)
    for _ in range(n):
        make_letter(case)
    return printed(build_batch(facility, None))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_posting_a_batch_marks_its_letters_posted():
    batch = batch_of(make_facility(), 2)
    today = timezone.localdate()

    mark_batch_posted(batch, posted_on=today, tracking_number=" RB123BY ", user=None)

    batch.refresh_from_db()
    assert (batch.posted_on, batch.tracking_number) == (today, "RB123BY")
    statuses = set(Letter.objects.values_list("status", flat=True))
    assert statuses == {Letter.Status.POSTED}


def test_a_batch_is_posted_once_after_its_pdf_is_built_and_not_in_the_future():
    facility = make_facility()
    make_letter(make_case_at(facility))
    batch = build_batch(facility, None)
    today = timezone.localdate()

    with pytest.raises(MailError, match="Build and print"):
        mark_batch_posted(batch, posted_on=today, tracking_number="", user=None)
    printed(batch)
    with pytest.raises(MailError, match="future"):
        mark_batch_posted(batch, posted_on=today + timedelta(days=1), tracking_number="", user=None)
    mark_batch_posted(batch, posted_on=today, tracking_number="", user=None)
    with pytest.raises(MailError, match="already posted"):
        mark_batch_posted(batch, posted_on=today, tracking_number="", user=None)


def test_outcomes_are_recorded_on_posted_letters_only_and_can_be_corrected():
    batch = batch_of(make_facility(), 1)
    item = batch.items.get()

    with pytest.raises(MailError, match="not been posted"):
        record_outcome(item, MailItem.Outcome.DELIVERED, None)
    mark_batch_posted(batch, posted_on=timezone.localdate(), tracking_number="", user=None)
    record_outcome(item, MailItem.Outcome.RETURNED, None)
    record_outcome(item, MailItem.Outcome.CENSORED, None)

    item.refresh_from_db()
    assert item.outcome == MailItem.Outcome.CENSORED
    assert Letter.objects.get().status == Letter.Status.CENSORED


def test_statistics_per_facility_put_the_most_censored_first(django_assert_max_num_queries):
    strict = make_facility(name="Strict colony")
    lenient = make_facility(name="Lenient prison")
    make_facility(name="Nothing posted yet")
    for facility, outcomes in [
        (strict, ["censored", "censored", "delivered", ""]),
        (lenient, ["delivered", "delivered", "returned"]),
    ]:
        batch = batch_of(facility, len(outcomes))
        mark_batch_posted(batch, posted_on=timezone.localdate(), tracking_number="", user=None)
        for item, outcome in zip(batch.items.order_by("position"), outcomes, strict=True):
            if outcome:
                record_outcome(item, MailItem.Outcome(outcome), None)

    with django_assert_max_num_queries(1):
        rows = facility_outcomes()

    assert [
        (r.facility.name, r.posted, r.delivered, r.returned, r.censored, r.unknown) for r in rows
    ] == [
        ("Strict colony", 4, 1, 0, 2, 1),
        ("Lenient prison", 3, 2, 1, 0, 0),
    ]
    assert rows[0].censored_percent == 67
