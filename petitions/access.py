"""Checked getters for petition pages that only organizers see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign
from petitions.models import PetitionDelivery


def get_campaign_for_organizer(request: HttpRequest, slug: str) -> Campaign:
    """A campaign whose petition an organizer (staff) delivers; 403 for anyone else."""
    if not (request.user.is_authenticated and request.user.is_staff):
        raise PermissionDenied
    return get_object_or_404(Campaign, slug=slug)


def get_delivery_for_organizer(request: HttpRequest, slug: str) -> PetitionDelivery:
    """The frozen petition's delivery; 404 until the petition is frozen."""
    campaign = get_campaign_for_organizer(request, slug)
    try:
        return PetitionDelivery.objects.select_related("campaign").get(campaign=campaign)
    except PetitionDelivery.DoesNotExist as exc:
        raise Http404("The petition is not frozen yet.") from exc
