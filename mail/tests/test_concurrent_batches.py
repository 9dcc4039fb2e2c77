"""Two mail desks pressing "make a batch" for one facility at once: one batch, no letter twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from letters.models import Letter
from mail.models import MailBatch, MailItem
from mail.services import MailError, build_batch
from mail.tests.factories import make_case_at, make_facility, make_letter

DESKS = 4


@pytest.mark.django_db(transaction=True)
def test_desks_building_at_once_make_one_batch_with_every_letter_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    facility = make_facility()
    case = make_case_at(facility)
    letters = [make_letter(case) for _ in range(6)]
    barrier = threading.Barrier(DESKS)
    made: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def press() -> None:
        try:
            barrier.wait(timeout=10)
            batch = build_batch(facility, None)
            with lock:
                made.append(batch.pk)
        except MailError as exc:
            with lock:
                refused.append(str(exc))
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(DESKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert len(made) == 1
    assert refused == ["No letter is ready for this facility."] * (DESKS - 1)
    assert MailBatch.objects.count() == 1
    assert sorted(MailItem.objects.values_list("letter_id", flat=True)) == [
        letter.pk for letter in letters
    ]
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.BATCHED}
