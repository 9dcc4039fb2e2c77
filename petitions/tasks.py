"""Background work for petitions, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from lantern.privacy import unseal


@task()
def send_confirmation_email(signature_id: int) -> None:
    from petitions.models import Signature
    from petitions.services import confirmation_token

    signature = Signature.objects.select_related("campaign").get(pk=signature_id)
    if signature.confirmed_at is not None:
        return
    path = reverse("petitions:confirm", args=[confirmation_token(signature)])
    context = {
        "signature": signature,
        "campaign": signature.campaign,
        "confirm_url": f"{settings.SITE_URL}{path}",
    }
    subject = render_to_string("petitions/confirm_email_subject.txt", context).strip()
    body = render_to_string("petitions/confirm_email.txt", context)
    send_mail(subject, body, None, [unseal(signature.email_sealed)])
