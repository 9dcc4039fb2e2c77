"""Models of the project itself (not of one domain): the task workers' heartbeats."""

from __future__ import annotations

from django.db import models


class TaskWorker(models.Model):
    """A `manage.py db_worker` process as last seen (see `lantern.background`).

    Its heartbeat is the lease on the task it runs: a task left running by a worker not seen
    for `TASK_LEASE_SECONDS` is given to another worker."""

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.worker_id
