"""`{% write_links campaign partner %}`: the campaign page's "Write a letter" links (carrying
the partner the visitor came through, so that a letter counts for it too);
`{% letters_nav %}`: the moderation and translation queues in the site's menu, for their roles."""

from __future__ import annotations

from typing import Any

from django import template

from campaigns.models import Campaign
from letters.access import has_role
from letters.services import writable_cases
from partners.models import Membership, Partner

register = template.Library()


@register.inclusion_tag("letters/campaign_link.html")
def write_links(campaign: Campaign, partner: Partner | None = None) -> dict[str, Any]:
    return {"campaign": campaign, "write_cases": writable_cases(campaign), "partner": partner}


@register.inclusion_tag("letters/nav.html", takes_context=True)
def letters_nav(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user if "request" in context else None
    if user is None or not user.is_authenticated:
        return {"moderate": False, "translate": False}
    return {
        "moderate": has_role(user, Membership.Role.MODERATOR),
        "translate": has_role(user, Membership.Role.TRANSLATOR),
    }
