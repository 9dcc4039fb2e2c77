"""Checked getters: the one way views fetch a campaign."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign


def get_public_campaign(request: HttpRequest, slug: str) -> Campaign:
    """A published campaign; a draft only for staff previewing it, else 404."""
    campaign = get_object_or_404(Campaign, slug=slug)
    if campaign.is_public:
        return campaign
    user = request.user
    if user.is_authenticated and user.is_staff:
        return campaign
    raise Http404("No such campaign.")
