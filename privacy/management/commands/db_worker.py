"""django-tasks-db's worker, which also makes sure the retention purge is scheduled."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from privacy.tasks import schedule_purge


class Command(DatabaseWorker):
    help = DatabaseWorker.help + " Schedules the retention purge on start (not with --batch)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("batch"):
            schedule_purge()
        super().handle(*args, **options)
