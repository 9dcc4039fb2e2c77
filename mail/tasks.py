"""Background work for the mail desk, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_batch_pdf(batch_id: int) -> None:
    """Print a batch: one step per letter read, and a last one for the typesetting."""
    from lantern import pdfjobs
    from lantern.pdf import render_pdf
    from mail.models import MailBatch
    from mail.printing import LAYOUT, batch_data

    batch = MailBatch.objects.select_related("facility").get(pk=batch_id)
    with pdfjobs.failing_on_error(batch):
        letters = batch.items.count()
        pdfjobs.start(batch, letters + 1)
        data = batch_data(batch, lambda done: pdfjobs.progress(batch, done))
        pdf = render_pdf(LAYOUT, data)
        pdfjobs.finish(batch, pdf, f"mail-batch-{batch.pk}.pdf")


@task()
def send_given_back_email(letter_id: int) -> None:
    """Tell a writer that their letter was not posted: the person left prison before it went."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from letters.models import Letter
    from privacy.models import TransientAddress
    from privacy.services import address_for, forget_address

    purpose = TransientAddress.Purpose.LETTER_AUTHOR
    letter = Letter.objects.select_related("case", "campaign").get(pk=letter_id)
    address = address_for(purpose, letter_id)  # kept until posted, for TRANSIENT_ADDRESS_HOURS
    if letter.status != Letter.Status.GIVEN_BACK or address is None:
        return
    context = {
        "letter": letter,
        "case": letter.case,
        "campaign": letter.campaign,
        "site_url": settings.SITE_URL,
    }
    with translation.override(letter.author_language or settings.LANGUAGE_CODE):
        subject = render_to_string("mail/given_back_email_subject.txt", context).strip()
        body = render_to_string("mail/given_back_email.txt", context)
    send_mail(subject, body, None, [address])
    forget_address(purpose, letter_id)
