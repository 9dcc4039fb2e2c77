"""`{% write_links campaign %}`: the campaign page's "Write a letter" links."""

from __future__ import annotations

from typing import Any

from django import template

from campaigns.models import Campaign
from letters.services import writable_cases

register = template.Library()


@register.inclusion_tag("letters/campaign_link.html")
def write_links(campaign: Campaign) -> dict[str, Any]:
    return {"campaign": campaign, "write_cases": writable_cases(campaign)}
