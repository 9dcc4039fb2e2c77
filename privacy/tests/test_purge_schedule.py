"""The purge runs on its own: `manage.py db_worker` seeds it on start, the real worker runs it,
and it queues its next run PURGE_INTERVAL_HOURS ahead; seeding twice queues one run."""

from __future__ import annotations

import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.models import Campaign
from campaigns.services import close_campaign
from lantern.testing import make_campaign
from petitions.models import Signature
from petitions.services import SignatureInput, sign_petition
from privacy.tasks import purge_personal_data_task, schedule_purge

pytestmark = pytest.mark.django_db(transaction=True)
TASK = purge_personal_data_task.module_path


def start_worker_for_one_task() -> None:
    """`manage.py db_worker` as production starts it (not --batch), stopping after one task."""
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    try:
        call_command("db_worker", "--max-tasks", "1", "--no-startup-delay", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def test_the_worker_seeds_runs_and_requeues_the_purge(settings: object) -> None:
    settings.RETENTION_DAYS = 0  # type: ignore[attr-defined]
    campaign = make_campaign(slug="done")
    sign_petition(campaign, SignatureInput(name="Anna", email="a@example.org", country="PL"))
    close_campaign(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now() - timedelta(hours=1))
    started = timezone.now()

    start_worker_for_one_task()

    assert Signature.objects.get().name == ""
    done = DBTaskResult.objects.get(task_path=TASK, status="SUCCESSFUL")
    assert done.return_value is not None and done.return_value["signatures"] == 1
    [waiting] = DBTaskResult.objects.filter(task_path=TASK, status="READY")
    interval = timedelta(hours=settings.PURGE_INTERVAL_HOURS)  # type: ignore[attr-defined]
    assert waiting.run_after >= started + interval


def test_seeding_is_idempotent() -> None:
    assert schedule_purge() is True
    assert schedule_purge() is False

    assert DBTaskResult.objects.filter(task_path=TASK, status="READY").count() == 1


def test_the_batch_worker_of_the_tests_does_not_seed() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert not DBTaskResult.objects.filter(task_path=TASK).exists()
