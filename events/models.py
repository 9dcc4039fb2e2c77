from __future__ import annotations

from django.conf import settings
from django.db import models

from campaigns.models import Campaign
from lantern.countries import country_choices, country_name
from partners.models import Partner


class EventReport(models.Model):
    """What a group did offline for a campaign: where, when, how many people, with photos.

    The actions an event produced are counted in the ledger (import, API, or the report form,
    whose rows carry the external_id `lantern-event-<pk>-<type>`: see docs/EVENTS.md); this is
    the story and the pictures that go with them.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="event_reports")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="event_reports"
    )
    title = models.CharField(max_length=200)
    city = models.CharField(max_length=100, blank=True, help_text="Town or place.")
    country = models.CharField(max_length=2, choices=country_choices())
    happened_at = models.DateTimeField()
    people = models.PositiveIntegerField(null=True, blank=True, help_text="People who took part.")
    note = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_reports",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class EventPhoto(models.Model):
    """A photo of an event, stored only after `events.services.clean_photo` re-encoded it:
    at most 1600 px, no metadata at all (no EXIF, GPS, XMP, ICC profile or comment)."""

    event = models.ForeignKey(EventReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="events/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    caption = models.CharField(
        max_length=300, blank=True, help_text='As it will be printed, e.g. "Warsaw (Poland)".'
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption or f"Photo {self.pk} of {self.event}"


class EventCorrection(models.Model):
    """An organizer's correction of an event's reported counts: the audit entry.

    The ledger is never edited: `events.services.correct_event` appends one row per changed
    action type (source "correction", a negative count when the figure goes down) and records
    here who changed what, when, from which figures to which, and why.
    """

    event = models.ForeignKey(EventReport, on_delete=models.PROTECT, related_name="corrections")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_corrections",
    )
    corrected_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    old_counts = models.JSONField(help_text="Action type -> count before the correction.")
    new_counts = models.JSONField(help_text="Action type -> count after the correction.")
    old_people = models.PositiveIntegerField(null=True, blank=True)
    new_people = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"Correction {self.pk} of {self.event}"
