from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from lantern.countries import country_choices
from lantern.sealing import BadKey, key_fingerprint, parse_public_key


def validate_public_key(value: str) -> None:
    try:
        parse_public_key(value)
    except BadKey as exc:
        raise ValidationError(f"Not a NaCl public key in base64: {exc}") from exc


class Partner(models.Model):
    """An organization taking part: a national section, a local group, another NGO."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, choices=country_choices(), blank=True)
    website = models.URLField(blank=True)
    contact_public_key = models.CharField(
        max_length=60,
        blank=True,
        validators=[validate_public_key],
        help_text=(
            "The partner's NaCl public key (base64). Consenting signers' addresses are sealed "
            "to it too, so the partner reads them on its own machine (docs/PARTNERS.md)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_key_fingerprint(self) -> str:
        if not self.contact_public_key:
            return ""
        return key_fingerprint(parse_public_key(self.contact_public_key))


class Membership(models.Model):
    """A user's role in a partner organization."""

    class Role(models.TextChoices):
        PARTNER_ADMIN = "partner_admin", "Partner admin"
        REPORTER = "reporter", "Reporter"
        MODERATOR = "moderator", "Moderator"
        TRANSLATOR = "translator", "Translator"
        MAIL_DESK = "mail_desk", "Mail desk"
        EDITOR = "editor", "Editor"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partner", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.partner})"


class ApiToken(models.Model):
    """A partner's key to the API. Only a hash is stored; the token is shown once."""

    class Scope(models.TextChoices):
        RECORD_ACTIONS = "actions:write", "Record actions"
        READ_SIGNATURES = "signatures:read", "Read own signers' email addresses"
        READ_TOTALS = "totals:read", "Read totals"
        SUBMIT_LETTERS = "letters:write", "Submit letters"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The token's first characters.")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.partner}: {self.name} ({self.prefix}…)"


class WebhookEndpoint(models.Model):
    """A partner's URL that hears about its new actions, signed with the endpoint's secret."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    secret_sealed = models.BinaryField(help_text="The signing secret, sealed to the server's key.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.url}"


class WebhookDelivery(models.Model):
    """One POST of new actions to an endpoint, with its attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, default="actions.created")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint.url} ({self.status})"
