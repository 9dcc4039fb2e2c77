from __future__ import annotations

from django.db import models

from campaigns.models import Campaign
from lantern.countries import country_choices, country_name
from partners.models import Partner


class EventReport(models.Model):
    """What a group did offline for a campaign: where, when, how many people, with photos.

    The actions an event produced are counted in the ledger (import, API); this is the story
    and the pictures that go with them.
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
