"""Checked getters: the one way views fetch a campaign."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign
from campaigns.translations import localize_campaign
from partners.models import Partner


def get_public_campaign(request: HttpRequest, slug: str) -> Campaign:
    """A published campaign, in the reader's language where it has a translation; a draft
    only for staff previewing it, else 404."""
    # The page says whether the petition was frozen and posted (petitions/delivery_notice.html).
    campaign = get_object_or_404(Campaign.objects.select_related("petition_delivery"), slug=slug)
    if campaign.is_public:
        return localize_campaign(campaign)
    user = request.user
    if user.is_authenticated and user.is_staff:
        return localize_campaign(campaign)
    raise Http404("No such campaign.")


def get_attributed_partner(campaign: Campaign, slug: str | None) -> Partner | None:
    """The partner a visitor came through (`?partner=` in a printed QR code or a link), if it
    takes part in the campaign. Otherwise None, and the page works as without it: a poster
    printed long ago, or a mistyped link, must still let people sign."""
    if not slug:
        return None
    return campaign.partners.filter(slug=slug).first()
