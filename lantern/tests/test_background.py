"""Tasks enqueued with their writes, and leases: a task whose worker died runs again.

The worker's death is set up in the database as a killed worker leaves it (the task RUNNING
under a worker whose heartbeat stopped); lantern/tests/test_db_worker_killed.py kills a
real worker process.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lantern.background import (
    WORKER_LOST,
    Heartbeat,
    Reclaimed,
    _reclaim,
    heartbeat,
    reclaim_abandoned_tasks,
    release_own_tasks,
)
from lantern.models import TaskWorker
from lantern.testing import make_campaign, run_task_worker
from petitions.models import PetitionDelivery
from petitions.services import DeliveryError, freeze_petition, rebuild_petition_pdf

pytestmark = pytest.mark.django_db

LEASE = 60


@pytest.fixture(autouse=True)
def _lease(settings, tmp_path):
    settings.TASK_LEASE_SECONDS = LEASE
    settings.TASK_MAX_ATTEMPTS = 3
    settings.MEDIA_ROOT = tmp_path


def frozen_delivery() -> PetitionDelivery:
    return freeze_petition(make_campaign(petition_text="Free them."), None)


def only_task() -> DBTaskResult[Any, Any]:
    (task,) = DBTaskResult.objects.all()
    return task


def claimed_by(
    worker_id: str, *, seen_ago: float, started_ago: float, earlier=()
) -> DBTaskResult[Any, Any]:
    """The one queued task as a worker leaves it when it dies: RUNNING under its id, and its
    heartbeat `seen_ago` seconds old."""
    now = timezone.now()
    task = only_task()
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=now - timedelta(seconds=started_ago),
        worker_ids=[*earlier, worker_id],
    )
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "seen_at": now - timedelta(seconds=seen_ago),
            "started_at": now - timedelta(hours=1),
        },
    )
    return DBTaskResult.objects.get(pk=task.pk)


def test_a_task_is_written_in_the_transaction_that_asks_for_it() -> None:
    """No on_commit callback runs in this test's transaction: the row is there all the same,
    so a crash right after the commit cannot lose the task."""
    delivery = frozen_delivery()
    task = only_task()
    assert task.task_path == "petitions.tasks.build_petition_pdf"
    assert task.args_kwargs["args"] == [delivery.pk]


def test_a_rolled_back_transaction_leaves_no_task() -> None:
    campaign = make_campaign(petition_text="Free them.")
    with pytest.raises(RuntimeError), transaction.atomic():
        freeze_petition(campaign, None)
        raise RuntimeError("the request failed after the freeze")
    assert not PetitionDelivery.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker's connection handling needs real commits
def test_a_task_whose_worker_stopped_beating_runs_again_and_completes() -> None:
    delivery = frozen_delivery()
    claimed_by("killed-worker", seen_ago=LEASE * 2, started_ago=LEASE * 2)

    assert reclaim_abandoned_tasks().requeued == 1
    assert only_task().status == TaskResultStatus.READY

    run_task_worker()
    task = only_task()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids[0] == "killed-worker" and len(task.worker_ids) == 2
    delivery.refresh_from_db()
    assert delivery.pdf_state == PetitionDelivery.PdfState.READY


def test_a_live_worker_keeps_its_task_however_long_it_runs() -> None:
    frozen_delivery()
    claimed_by("busy-worker", seen_ago=1, started_ago=LEASE * 10)

    assert reclaim_abandoned_tasks().requeued == 0
    assert only_task().status == TaskResultStatus.RUNNING


def test_a_task_just_claimed_is_not_taken_before_its_lease_ends() -> None:
    frozen_delivery()
    claimed_by("new-worker", seen_ago=LEASE * 2, started_ago=1)

    assert reclaim_abandoned_tasks().requeued == 0
    assert only_task().status == TaskResultStatus.RUNNING


def test_a_task_that_lost_its_worker_too_often_fails_and_frees_its_pdf_job() -> None:
    delivery = frozen_delivery()
    claimed_by("third", seen_ago=LEASE * 2, started_ago=LEASE * 2, earlier=["first", "second"])
    with pytest.raises(DeliveryError):
        rebuild_petition_pdf(delivery)  # "being built already"

    assert reclaim_abandoned_tasks().given_up == 1

    task = only_task()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == WORKER_LOST
    delivery.refresh_from_db()
    assert delivery.pdf_state == PetitionDelivery.PdfState.FAILED
    assert "build it again" in delivery.pdf_error
    rebuild_petition_pdf(delivery)  # the organizer may now try again
    delivery.refresh_from_db()
    assert delivery.pdf_state == PetitionDelivery.PdfState.QUEUED


def test_a_worker_restarted_with_the_same_id_takes_back_its_own_task_at_once() -> None:
    frozen_delivery()
    claimed_by("worker-1", seen_ago=0, started_ago=1)

    assert release_own_tasks("worker-1").requeued == 1
    assert only_task().status == TaskResultStatus.READY


def test_a_task_claimed_again_meanwhile_is_not_given_back_by_a_late_reclaimer() -> None:
    """Two workers reclaim at once: the second acts on what it read before the first gave the
    task back and another worker claimed it again; that new run must keep its task."""
    frozen_delivery()
    stale = claimed_by("killed-worker", seen_ago=LEASE * 2, started_ago=LEASE * 2)
    assert reclaim_abandoned_tasks().requeued == 1
    DBTaskResult.objects.filter(pk=stale.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )

    assert _reclaim([stale]) == Reclaimed(0, 0)
    assert only_task().status == TaskResultStatus.RUNNING


def test_heartbeats_record_when_each_worker_was_last_seen() -> None:
    heartbeat("worker-a")
    first = TaskWorker.objects.get(worker_id="worker-a")
    heartbeat("worker-a")
    again = TaskWorker.objects.get(worker_id="worker-a")
    assert again.started_at == first.started_at
    assert again.seen_at >= first.seen_at


def test_workers_not_seen_for_a_day_are_forgotten() -> None:
    TaskWorker.objects.create(
        worker_id="long-gone",
        started_at=timezone.now() - timedelta(days=3),
        seen_at=timezone.now() - timedelta(days=2),
    )
    heartbeat("worker-b")
    reclaim_abandoned_tasks()
    assert list(TaskWorker.objects.values_list("worker_id", flat=True)) == ["worker-b"]


@pytest.mark.django_db(transaction=True)
def test_a_batch_worker_beats_at_its_start_and_before_each_task() -> None:
    frozen_delivery()
    with Heartbeat("batch-worker", thread=False):
        assert TaskWorker.objects.filter(worker_id="batch-worker").exists()
    run_task_worker()
    assert TaskWorker.objects.count() == 2  # this one, and run_task_worker's own
