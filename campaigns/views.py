from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from actions.tallies import live_totals
from campaigns.access import get_attributed_partner, get_public_campaign
from campaigns.models import Campaign
from cases.translations import localize_cases
from lantern.countries import country_name
from partners.models import Partner
from petitions.forms import SignForm

TOP_COUNTRIES = 5


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-starts_on")
    return render(request, "campaigns/home.html", {"campaigns": campaigns})


def render_campaign_page(
    request: HttpRequest,
    campaign: Campaign,
    form: SignForm,
    *,
    partner: Partner | None = None,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    """`partner`: the one the visitor came through; the sign form carries it, so that the
    signature counts for that partner."""
    totals = live_totals(campaign.pk)
    context = {
        "campaign": campaign,
        "cases": localize_cases(campaign.cases.prefetch_related("names", "events")),
        "form": form,
        "total": totals.total,
        "top_countries": [(country_name(code), n) for code, n in totals.by_country[:TOP_COUNTRIES]],
        "countries": totals.countries,
        "counter_every": settings.COUNTER_REFRESH_SECONDS * 1000,
        "attributed_partner": partner,
        "problem": problem,
    }
    return render(request, "campaigns/detail.html", context, status=status)


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_public_campaign(request, slug)
    partner = get_attributed_partner(campaign, request.GET.get("partner"))
    return render_campaign_page(request, campaign, SignForm(), partner=partner)
