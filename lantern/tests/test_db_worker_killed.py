"""`manage.py db_worker` SIGKILLed while it builds a petition delivery's PDF: the task is
given to the next worker once the dead one's lease runs out, and completes.

Both workers run as processes on their own PostgreSQL database, with a lease of a few
seconds (TASK_LEASE_SECONDS) so that the test does not wait a minute.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from actions.models import Action
from actions.types import ActionType, Channel, Source
from lantern.privacy import email_dedupe_hash, seal
from lantern.testing import make_campaign
from lantern.tests.faults import DEDUPE_KEY, FaultDatabase, Process
from lantern.tests.pdftools import flat, pdf_text
from petitions.models import PetitionDelivery, Signature
from petitions.services import freeze_petition
from petitions.tasks import build_petition_pdf

pytestmark = pytest.mark.postgres_only

SIGNERS = 2_000  # enough names that the PDF takes a moment to build
LEASE_SECONDS = 2


def many_signers(campaign: Any, n: int) -> None:
    """`n` counted signers who agreed to be on the letter (written in bulk: faster than
    signing one by one, and the same rows)."""
    now = timezone.now()
    actions = Action.objects.bulk_create(
        Action(
            campaign=campaign,
            case_id=campaign.cases.get().pk,
            action_type=ActionType.SIGNATURE,
            count=1,
            country="PL",
            occurred_at=now,
            channel=Channel.ONLINE,
            source=Source.WEB,
        )
        for _ in range(n)
    )
    Signature.objects.bulk_create(
        Signature(
            campaign=campaign,
            name=f"Signer Number{i}",
            country="PL",
            consent_letter=True,
            email_hash=email_dedupe_hash(f"signer{i}@example.org"),
            email_sealed=seal(f"signer{i}@example.org"),
            action=action,
        )
        for i, action in enumerate(actions)
    )


def worker(fault_database: FaultDatabase, log: Path, media: Path) -> Process:
    env = fault_database.env(
        TASK_LEASE_SECONDS=str(LEASE_SECONDS), MEDIA_ROOT=str(media), DEDUPE_KEY=DEDUPE_KEY
    )
    args = ["db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"]
    return Process(args, env, log)


def pdf_task() -> DBTaskResult[Any, Any]:
    """The PDF's task (a worker also schedules the retention purge when it starts)."""
    return DBTaskResult.objects.get(task_path=build_petition_pdf.module_path)


def state(delivery_pk: int) -> tuple[str, str]:
    delivery = PetitionDelivery.objects.get(pk=delivery_pk)
    return delivery.pdf_state, pdf_task().status


def test_worker_killed_mid_pdf_leaves_the_task_to_the_next_worker_which_completes_it(
    fault_database: FaultDatabase, settings: Any, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    with fault_database.as_default():
        campaign = make_campaign(title="Free Ales", petition_text="Ales, we stand with you.")
        many_signers(campaign, SIGNERS)
        delivery = freeze_petition(campaign, None)
    deadline = time.monotonic() + 120

    first = worker(fault_database, tmp_path / "worker-1.log", media)
    first.start()
    with fault_database.as_default():
        while state(delivery.pk) != (PetitionDelivery.PdfState.BUILDING, TaskResultStatus.RUNNING):
            assert first.running(), first.output()
            assert time.monotonic() < deadline, "the worker never started the PDF"
            time.sleep(0.02)
        first.kill()
        assert state(delivery.pk) == (PetitionDelivery.PdfState.BUILDING, TaskResultStatus.RUNNING)

    second = worker(fault_database, tmp_path / "worker-2.log", media)
    second.start()
    try:
        with fault_database.as_default():
            while state(delivery.pk)[0] != PetitionDelivery.PdfState.READY:
                assert second.running(), second.output()
                assert PetitionDelivery.objects.get(pk=delivery.pk).pdf_error == ""
                assert time.monotonic() < deadline, f"not rebuilt in time:\n{second.output()}"
                time.sleep(0.1)
            task = pdf_task()
            delivery.refresh_from_db()
    finally:
        second.stop()

    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2, "the first worker started it, the second finished it"
    assert "runs again (attempt 2 of 3)" in second.output()
    with delivery.pdf.open("rb") as handle:
        text = flat(pdf_text(handle.read()))
    assert f"{SIGNERS:,} signatures" in text
    assert "Signer Number0 " in text and f"Signer Number{SIGNERS - 1} " in text
    assert [p.name for p in media.rglob("*.pdf")] == [Path(delivery.pdf.name).name]
