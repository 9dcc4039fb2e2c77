from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from campaigns.models import Campaign
from lantern.countries import country_choices
from lantern.pdfjobs import PdfJob
from partners.models import Partner


class Signature(models.Model):
    """A signer of a campaign's petition. The email is kept only as a keyed hash and sealed."""

    class NameDisplay(models.TextChoices):
        FULL = "full", _("My full name")
        INITIALS = "initials", _("My initials only")
        ANONYMOUS = "anonymous", _("Not at all")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="signatures")
    name = models.CharField(max_length=200)
    name_display = models.CharField(
        max_length=10, choices=NameDisplay.choices, default=NameDisplay.FULL
    )
    country = models.CharField(max_length=2, choices=country_choices())
    city = models.CharField(max_length=100, blank=True)
    consent_letter = models.BooleanField(
        default=False, help_text="The name may appear on the petition letter."
    )
    consent_contact = models.BooleanField(
        default=False, help_text="The organizers may write to the signer."
    )
    email_hash = models.CharField(
        max_length=64, null=True, blank=True, help_text="Keyed hash; none once anonymized."
    )
    email_sealed = models.BinaryField(
        null=True, blank=True, help_text="Sealed to the organization's public key."
    )
    partner_email_sealed = models.BinaryField(
        null=True,
        blank=True,
        help_text="Sealed to the partner's public key, if the signer agreed to be contacted.",
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    action = models.OneToOneField(
        Action, on_delete=models.PROTECT, null=True, blank=True, related_name="signature"
    )
    language = models.CharField(
        max_length=12, blank=True, help_text="The page's language when signing; emails use it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    anonymized_at = models.DateTimeField(
        null=True, blank=True, help_text="Personal data erased (retention or request)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email_hash"], name="signature_one_per_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shown_name} ({self.country})"

    @property
    def is_counted(self) -> bool:
        return self.action_id is not None

    @property
    def shown_name(self) -> str:
        """The name as the signer chose to show it on public lists and the letter."""
        if self.name_display == self.NameDisplay.FULL:
            return self.name
        if self.name_display == self.NameDisplay.INITIALS:
            return initials(self.name)
        return "Anonymous"


class PetitionDelivery(PdfJob):
    """The petition sent to its target: frozen at the deadline, printed, posted.

    Freezing records where the ledger stood (`last_action_id`, `signatures_total`); the
    letter lists the signers counted up to then, and no signature is counted after it.
    """

    campaign = models.OneToOneField(
        Campaign, on_delete=models.PROTECT, related_name="petition_delivery"
    )
    frozen_at = models.DateTimeField()
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_action_id = models.PositiveBigIntegerField(
        default=0, help_text="The last ledger row counted at the freeze."
    )
    signatures_total = models.PositiveIntegerField(
        default=0, help_text="Signatures in the ledger at the freeze, every channel."
    )
    place = models.CharField(
        max_length=100, blank=True, help_text="Where the letter is sent from, printed by the date."
    )
    posted_on = models.DateField(null=True, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Petition delivery of {self.campaign}"

    @property
    def is_posted(self) -> bool:
        return self.posted_on is not None


def initials(name: str) -> str:
    return " ".join(f"{part[0].upper()}." for part in name.replace("-", " ").split() if part)
