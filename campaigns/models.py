from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from actions.types import ActionType
from cases.models import Case
from partners.models import Partner


def default_action_types() -> list[str]:
    return [ActionType.SIGNATURE.value]


def default_languages() -> list[str]:
    return ["en"]


class Campaign(models.Model):
    """A marathon or a single action: what supporters are asked to do, for whom, until when."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    slogan = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True, help_text="What the campaign asks, in a paragraph.")
    petition_target = models.CharField(
        max_length=300, blank=True, help_text="Whom the petition is addressed to."
    )
    petition_text = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    delivery_deadline = models.DateField(
        null=True, blank=True, help_text="The petition is posted to its target by this date."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    requires_confirmation = models.BooleanField(
        default=False, help_text="A signature counts only once the signer confirms by email."
    )
    goal = models.PositiveIntegerField(null=True, blank=True, help_text="Actions hoped for.")
    action_types = models.JSONField(
        default=default_action_types, help_text="The action types this campaign counts."
    )
    languages = models.JSONField(default=default_languages, help_text="BCP 47 codes.")
    cases = models.ManyToManyField(Case, related_name="campaigns")
    partners = models.ManyToManyField(Partner, related_name="campaigns", blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="Personal data is purged RETENTION_DAYS after this."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        unknown = sorted(set(self.action_types) - set(ActionType.values))
        if unknown:
            raise ValidationError(
                {
                    "action_types": _("Unknown action types: %(types)s.")
                    % {"types": ", ".join(unknown)}
                }
            )
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def accepts_signatures(self) -> bool:
        return self.status == self.Status.LIVE and ActionType.SIGNATURE in self.action_types


class CampaignTranslation(models.Model):
    """The campaign's texts in another language, shown on pages in that language; an empty
    field falls back to the campaign's own text."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=12, choices=settings.LANGUAGES)
    title = models.CharField(max_length=200, blank=True)
    slogan = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    petition_target = models.CharField(max_length=300, blank=True)
    petition_text = models.TextField(blank=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language"], name="campaign_translation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} ({self.language})"
