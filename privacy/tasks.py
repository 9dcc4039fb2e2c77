"""Background work for supporters' privacy: the request email and the retention purge.

django-tasks has no periodic scheduler, so the purge re-enqueues itself `PURGE_INTERVAL_HOURS`
ahead (`run_after`). `schedule_purge` seeds it, idempotently: `manage.py db_worker` (this
app's wrapper of django-tasks-db's) calls it when it starts; `manage.py purge_personal_data`
runs a purge at once, for a cron job where no worker runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task


@task()
def send_privacy_request_email(request_id: int) -> None:
    """Email the link that confirms an export or erasure; then forget the address."""
    from privacy.models import PrivacyRequest, TransientAddress
    from privacy.services import address_for, forget_address, request_token

    purpose = TransientAddress.Purpose.PRIVACY_REQUEST
    address = address_for(purpose, request_id)
    request = PrivacyRequest.objects.filter(pk=request_id).first()
    if address is None or request is None:
        return
    path = reverse("privacy:confirm", args=[request_token(request)])
    with translation.override(request.language or settings.LANGUAGE_CODE):
        context = {
            "request": request,
            "confirm_url": f"{settings.SITE_URL}{path}",
            "hours": settings.PRIVACY_LINK_MAX_AGE_HOURS,
        }
        subject = render_to_string("privacy/request_email_subject.txt", context).strip()
        body = render_to_string("privacy/request_email.txt", context)
    send_mail(subject, body, None, [address])
    forget_address(purpose, request_id)


@task()
def purge_personal_data_task() -> dict[str, Any]:
    """Run the retention purge, then queue the next run."""
    from privacy.services import purge_personal_data

    result = purge_personal_data()
    schedule_purge(after=timezone.now() + timedelta(hours=settings.PURGE_INTERVAL_HOURS))
    return {
        "campaigns": result.campaigns,
        "signatures": result.anonymized.signatures,
        "letters": result.anonymized.letters,
        "addresses": result.addresses,
        "requests": result.requests,
    }


def schedule_purge(*, after: datetime | None = None) -> bool:
    """Queue a purge (at `after`, else now) unless one is already waiting; True if queued."""
    backend = purge_personal_data_task.get_backend()
    if not backend.supports_defer:  # e.g. the immediate backend: no schedule to keep
        return False
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=purge_personal_data_task.module_path, status="READY"
        )
        if waiting.exists():
            return False
    purge_personal_data_task.using(run_after=after).enqueue()
    return True
