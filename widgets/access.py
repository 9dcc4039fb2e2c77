"""Checked getters for the widget: which campaign, and which partner it counts for."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from campaigns.access import get_public_campaign
from campaigns.models import Campaign
from partners.models import Partner


def get_widget_campaign(request: HttpRequest, slug: str) -> Campaign:
    """A published campaign (a draft only for staff previewing it), else 404."""
    return get_public_campaign(request, slug)


def get_widget_partner(campaign: Campaign, partner_slug: str | None) -> Partner | None:
    """The partner a widget counts for: one taking part in the campaign, or none at all.

    An unknown partner, or one not taking part, is a 404: the snippet is wrong, and counting
    its signatures for nobody would hide that.
    """
    if not partner_slug:
        return None
    partner = campaign.partners.filter(slug=partner_slug).first()
    if partner is None:
        raise Http404("This partner does not take part in this campaign.")
    return partner
