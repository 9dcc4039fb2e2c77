"""What the privacy app keeps: short-lived copies of addresses the server must write to, and
supporters' requests to see or erase their data."""

from __future__ import annotations

from django.db import models


class TransientAddress(models.Model):
    """An address the server must send one email to, sealed to the server's own key.

    Kept until that email is sent, and never longer than `TRANSIENT_ADDRESS_HOURS`: the
    retention task deletes what is left (docs/SECURITY.md).
    """

    class Purpose(models.TextChoices):
        SIGNATURE_CONFIRMATION = "signature_confirmation", "Signature confirmation"
        LETTER_AUTHOR = "letter_author", "Letter author (rejected or given back)"
        PRIVACY_REQUEST = "privacy_request", "Privacy request"

    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    object_id = models.PositiveBigIntegerField()
    sealed = models.BinaryField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["purpose", "object_id"], name="transient_one_per_use"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.object_id}"


class PrivacyRequest(models.Model):
    """A supporter asked, by email, for a copy of their data or its erasure."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Export"
        ERASURE = "erasure", "Erasure"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    email_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} request {self.pk}"
