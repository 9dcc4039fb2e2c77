from __future__ import annotations

from django.db import models

from actions.models import Action
from campaigns.models import Campaign
from lantern.countries import country_choices
from partners.models import Partner


class Signature(models.Model):
    """A signer of a campaign's petition. The email is kept only as a keyed hash and sealed."""

    class NameDisplay(models.TextChoices):
        FULL = "full", "My full name"
        INITIALS = "initials", "My initials only"
        ANONYMOUS = "anonymous", "Not at all"

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
    email_hash = models.CharField(max_length=64)
    email_sealed = models.BinaryField()
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    action = models.OneToOneField(
        Action, on_delete=models.PROTECT, null=True, blank=True, related_name="signature"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

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


def initials(name: str) -> str:
    return " ".join(f"{part[0].upper()}." for part in name.replace("-", " ").split() if part)
