"""`manage.py db_worker`: django-tasks-db's worker, holding a lease on the task it runs.

The same command and options as django-tasks-db's, run by `LeasedWorker`: it records its
heartbeat while it runs, and gives back the tasks of workers that died (see
`lantern.background`). A long-running worker (not `--batch`) also makes sure the retention
purge is scheduled (`privacy.tasks.schedule_purge`, idempotent). Lantern's app comes before
django_tasks_db in INSTALLED_APPS, so that this command is the one `manage.py db_worker` finds.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from lantern.background import Heartbeat, heartbeat
from privacy.tasks import schedule_purge


class LeasedWorker(db_worker.Worker):
    def run(self) -> None:
        with Heartbeat(self.worker_id, thread=not self.batch):
            super().run()

    def run_task(self, db_task_result: Any) -> None:
        heartbeat(self.worker_id)  # a --batch run has no heartbeat thread
        super().run_task(db_task_result)


class Command(db_worker.Command):
    help = (
        "Run a database background worker; a task whose worker dies runs again elsewhere. "
        "Schedules the retention purge on start (not with --batch)."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        # As django-tasks-db's own handle(), with LeasedWorker in place of Worker.
        self.configure_logging(verbosity)
        if not batch:
            schedule_purge()
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process, as django-tasks-db does
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
