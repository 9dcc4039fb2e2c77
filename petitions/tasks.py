"""Background work for petitions, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task


@task()
def send_confirmation_email(signature_id: int) -> None:
    """Email the confirmation link to the address kept for it, then forget the address."""
    from campaigns.translations import localize_campaign
    from petitions.models import Signature
    from petitions.services import CONFIRMATION, confirmation_token
    from privacy.services import address_for, forget_address

    signature = Signature.objects.select_related("campaign").get(pk=signature_id)
    address = address_for(CONFIRMATION, signature_id)
    if signature.confirmed_at is not None or address is None:
        forget_address(CONFIRMATION, signature_id)
        return
    path = reverse("petitions:confirm", args=[confirmation_token(signature)])
    # In the language the signer signed in, campaign title included.
    with translation.override(signature.language or settings.LANGUAGE_CODE):
        context = {
            "signature": signature,
            "campaign": localize_campaign(signature.campaign),
            "confirm_url": f"{settings.SITE_URL}{path}",
        }
        subject = render_to_string("petitions/confirm_email_subject.txt", context).strip()
        body = render_to_string("petitions/confirm_email.txt", context)
    send_mail(subject, body, None, [address])
    forget_address(CONFIRMATION, signature_id)


@task()
def build_petition_pdf(delivery_id: int) -> None:
    """Print the frozen petition to its target, recording progress as the names are read.

    The total is read from the ledger again (up to the freeze) in the same run as the names,
    so the letter's figures agree with each other even if a signature counted at the very
    moment of the freeze was committed after it.
    """
    from lantern import pdfjobs
    from lantern.pdf import render_pdf
    from petitions.delivery import LAYOUT, delivery_data, ledger_signatures, letter_signers
    from petitions.models import PetitionDelivery

    delivery = PetitionDelivery.objects.select_related("campaign").get(pk=delivery_id)
    with pdfjobs.failing_on_error(delivery):
        signers = letter_signers(delivery).count()
        pdfjobs.start(delivery, signers + 1)  # the last step is the typesetting
        delivery.signatures_total = ledger_signatures(delivery)
        delivery.save(update_fields=["signatures_total"])
        data = delivery_data(delivery, lambda done: pdfjobs.progress(delivery, done))
        pdfjobs.progress(delivery, signers)
        pdf = render_pdf(LAYOUT, data)
        pdfjobs.finish(delivery, pdf, f"petition-{delivery.campaign.slug}.pdf")
