"""Mail batches: the letters for one facility, printed as one PDF, posted together.

A letter's life after approval (its `letters.Letter.status`) is moved on here by
`mail.services`: batched, posted, then delivered, returned or censored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import AddressPeriod, Facility
from lantern.pdfjobs import PdfJob
from letters.models import Letter


class MailBatch(PdfJob):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="mail_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    posted_on = models.DateField(null=True, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "mail batches"

    def __str__(self) -> str:
        return f"Batch {self.pk} for {self.facility}"

    @property
    def is_posted(self) -> bool:
        return self.posted_on is not None


class MailItem(models.Model):
    """One letter in a batch, with the address it was sent to and what became of it."""

    class Outcome(models.TextChoices):
        DELIVERED = Letter.Status.DELIVERED.value, _("Delivered")
        RETURNED = Letter.Status.RETURNED.value, _("Returned")
        CENSORED = Letter.Status.CENSORED.value, _("Did not pass censorship")

    batch = models.ForeignKey(MailBatch, on_delete=models.CASCADE, related_name="items")
    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="mail_item")
    address = models.ForeignKey(
        AddressPeriod,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The address the letter went to, as it was when batched.",
    )
    position = models.PositiveIntegerField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="mail_item_position"),
        ]

    def __str__(self) -> str:
        return f"{self.batch}: letter {self.letter_id}"
