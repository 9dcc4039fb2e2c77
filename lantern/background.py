"""Background work that survives a crash: tasks are enqueued with the writes that call for
them, and a task whose worker died is run again by another worker.

django-tasks with its database backend keeps each task as a row (`DBTaskResult`) and
`manage.py db_worker` runs them. Two gaps are closed here (docs/ARCHITECTURE.md, "Background
work"):

- **Enqueued with the writes.** `enqueue_with_writes(task, ...)`, called inside a
  transaction, writes the task's row in that same transaction: a mail batch and the task
  that prints it are committed together or not at all. A task enqueued `on_commit` is lost
  when the process dies between the commit and the enqueue. With a backend that does not
  write to the database, the task is enqueued once the transaction commits.
- **Leases.** django-tasks-db marks a task RUNNING when a worker claims it, and leaves it so
  forever if that worker dies (SIGKILL, out of memory, a lost machine). Lantern's
  `db_worker` (lantern/management/commands/db_worker.py) records a heartbeat of each worker
  process (`TaskWorker`) four times per `TASK_LEASE_SECONDS`. A task RUNNING for longer
  than the lease whose worker has not been seen for as long goes back to READY and runs
  again; after `TASK_MAX_ATTEMPTS` starts it is marked FAILED instead, and the handler
  registered with `when_abandoned` runs (a PDF job is marked failed, so that its page offers
  to build it again). Every task must therefore be idempotent: run twice, it leaves what
  running once leaves.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from lantern.models import TaskWorker

logger = logging.getLogger(__name__)

# A worker not seen for this long is forgotten (its row deleted).
FORGET_WORKERS_AFTER = timedelta(days=1)
# Recorded on a task given up because its worker kept dying.
WORKER_LOST = "lantern.background.WorkerLost"

_ABANDONED: dict[str, Callable[..., object]] = {}


def enqueue_with_writes(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` as part of the current transaction (see the module's docstring)."""
    writes_here = router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
    if writes_here and isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def when_abandoned(
    task: Task[Any, Any],
) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Register what to do when `task` is given up because its worker died too often.

    The handler gets the task's arguments. Register it in the module that defines the task,
    which the worker imports before it gives a task up."""

    def register(handler: Callable[..., object]) -> Callable[..., object]:
        _ABANDONED[task.module_path] = handler
        return handler

    return register


def heartbeat(worker_id: str) -> None:
    """Record that the worker is alive: it keeps the lease on the task it runs."""
    now = timezone.now()
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={"seen_at": now, "started_at": now},
    )


@dataclass(frozen=True)
class Reclaimed:
    requeued: int = 0
    given_up: int = 0


def release_own_tasks(worker_id: str) -> Reclaimed:
    """At a worker's start: tasks left RUNNING under its id were run by an earlier process
    with the same `--worker-id`, which died (this one has run nothing yet)."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    return _reclaim([task for task in running if _last_worker(task) == worker_id])


def reclaim_abandoned_tasks() -> Reclaimed:
    """Give back the tasks whose worker has not been seen for `TASK_LEASE_SECONDS`."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.TASK_LEASE_SECONDS)
    stale = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    )
    alive: set[str] = set()
    if stale:
        alive = set(
            TaskWorker.objects.filter(
                worker_id__in={_last_worker(task) for task in stale}, seen_at__gte=cutoff
            ).values_list("worker_id", flat=True)
        )
    result = _reclaim([task for task in stale if _last_worker(task) not in alive])
    TaskWorker.objects.filter(seen_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return result


def _last_worker(task: DBTaskResult[Any, Any]) -> str:
    ids = task.worker_ids or []
    return str(ids[-1]) if ids else ""


def _reclaim(tasks: list[DBTaskResult[Any, Any]]) -> Reclaimed:
    requeued = given_up = 0
    for task in tasks:
        attempts = len(task.worker_ids or [])
        # Only if nobody moved the task on meanwhile (another worker reclaiming it too).
        same_run = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if attempts < settings.TASK_MAX_ATTEMPTS:
            if same_run.update(status=TaskResultStatus.READY):
                requeued += 1
                logger.warning(
                    "Task %s (%s) lost its worker %s; it runs again (attempt %d of %d).",
                    task.pk,
                    task.task_path,
                    _last_worker(task),
                    attempts + 1,
                    settings.TASK_MAX_ATTEMPTS,
                )
            continue
        given_up_now = same_run.update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=WORKER_LOST,
            traceback=(
                f"The worker running this task stopped without finishing it {attempts} "
                "time(s); it is not tried again (TASK_MAX_ATTEMPTS)."
            ),
        )
        if given_up_now:
            given_up += 1
            logger.error(
                "Task %s (%s) given up after %d attempts.", task.pk, task.task_path, attempts
            )
            _run_abandon_handler(task)
    return Reclaimed(requeued, given_up)


def _run_abandon_handler(task: DBTaskResult[Any, Any]) -> None:
    module, _, _name = task.task_path.rpartition(".")
    try:
        importlib.import_module(module)  # registers the task's handler
        handler = _ABANDONED.get(task.task_path)
        if handler is not None:
            arguments = task.args_kwargs or {}
            handler(*arguments.get("args", []), **arguments.get("kwargs", {}))
    except Exception:  # noqa: BLE001 - a failing handler must not stop the reclaiming
        logger.exception("The handler for abandoned task %s failed.", task.pk)


class Heartbeat:
    """While a worker runs: beat and reclaim others' abandoned tasks at once, then every
    quarter of the lease from a thread of its own (so that a long task keeps its lease).

    `thread=False` (a `--batch` run) beats only at the start and before each task."""

    def __init__(self, worker_id: str, *, thread: bool = True) -> None:
        self.worker_id = worker_id
        self.interval = max(settings.TASK_LEASE_SECONDS / 4, 0.25)
        self._stop = threading.Event()
        self._thread = (
            threading.Thread(target=self._beat_until_stopped, name="task-heartbeat", daemon=True)
            if thread
            else None
        )

    def __enter__(self) -> Heartbeat:
        release_own_tasks(self.worker_id)
        heartbeat(self.worker_id)
        reclaim_abandoned_tasks()
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _beat_until_stopped(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    heartbeat(self.worker_id)
                    reclaim_abandoned_tasks()
                except DatabaseError:
                    logger.exception("Worker %s could not record its heartbeat.", self.worker_id)
        finally:
            connections.close_all()  # this thread's own connections
