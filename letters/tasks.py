"""Background work for letters, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_rejection_email(letter_id: int) -> None:
    """Tell the author why their letter was not sent (only if they left an address, and it
    is still kept: TRANSIENT_ADDRESS_HOURS); then forget the address."""
    from letters.models import Letter
    from privacy.models import TransientAddress
    from privacy.services import address_for, forget_address

    purpose = TransientAddress.Purpose.LETTER_AUTHOR
    letter = Letter.objects.select_related("case", "campaign").get(pk=letter_id)
    address = address_for(purpose, letter_id)
    if letter.status != Letter.Status.REJECTED or address is None:
        return
    context = {"letter": letter, "case": letter.case, "campaign": letter.campaign}
    # In the language of the page the author wrote from, not the letter's (written for the prison).
    with translation.override(letter.author_language or settings.LANGUAGE_CODE):
        subject = render_to_string("letters/rejected_email_subject.txt", context).strip()
        body = render_to_string("letters/rejected_email.txt", context)
    send_mail(subject, body, None, [address])
    forget_address(purpose, letter_id)
