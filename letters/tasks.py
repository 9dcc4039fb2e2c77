"""Background work for letters, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from lantern.privacy import unseal


@task()
def send_rejection_email(letter_id: int) -> None:
    """Tell the author why their letter was not sent (only if they left an address)."""
    from letters.models import Letter

    letter = Letter.objects.select_related("case", "campaign").get(pk=letter_id)
    if letter.status != Letter.Status.REJECTED or not letter.author_contact_sealed:
        return
    context = {"letter": letter, "case": letter.case, "campaign": letter.campaign}
    # In the language of the page the author wrote from, not the letter's (written for the prison).
    with translation.override(letter.author_language or settings.LANGUAGE_CODE):
        subject = render_to_string("letters/rejected_email_subject.txt", context).strip()
        body = render_to_string("letters/rejected_email.txt", context)
    send_mail(subject, body, None, [unseal(letter.author_contact_sealed)])
