"""Changing a campaign's state."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.models import Campaign


def publish_campaign(campaign: Campaign) -> None:
    """Make a draft live: its page, form and counter become public."""
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(f"{campaign} is {campaign.get_status_display().lower()}, not draft.")
    if not campaign.cases.exists():
        raise ValidationError(f"{campaign} has no case yet.")
    campaign.status = Campaign.Status.LIVE
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["status", "published_at", "updated_at"])


def close_campaign(campaign: Campaign) -> None:
    """Stop taking signatures. Late partner reports can still be recorded."""
    if campaign.status != Campaign.Status.LIVE:
        raise ValidationError(f"{campaign} is not live.")
    campaign.status = Campaign.Status.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
