"""Background work for the registry, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_uploaded_registry(observation_id: int) -> None:
    """Import a list uploaded in the admin; its page shows the progress and the result."""
    from django.utils import timezone

    from registry.models import Observation
    from registry.services import import_registry

    job = Observation.objects.select_related("source", "imported_by").get(pk=observation_id)
    if job.state != Observation.State.QUEUED:
        return  # imported already (a task run twice)
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        import_registry(
            data,
            source=job.source,
            filename=job.filename,
            fmt=job.format,
            retrieved_at=job.retrieved_at,
            published_on=job.published_on,
            imported_by=job.imported_by,
            job=job,
        )
    except Exception as exc:
        Observation.objects.filter(pk=job.pk).exclude(state=Observation.State.DONE).update(
            state=Observation.State.FAILED,
            errors=[{"line": 0, "message": str(exc) or type(exc).__name__}],
            finished_at=timezone.now(),
        )
        raise
