"""The embeddable widget: a script any website loads, and the cross-origin endpoints it calls.

Every response the widget reads carries `Access-Control-Allow-Origin: *`: the widget sends no
cookies (`credentials: "omit"`) and these endpoints read none, so any site may embed it. The
sign endpoint is exempt from Django's cookie-based CSRF check and checks the signed form token
instead (docs/WIDGET.md explains why that is safe).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from actions.tallies import live_totals
from campaigns.models import Campaign
from lantern.countries import country_name
from lantern.guard import Kind, Refused, screen_request
from partners.models import Partner
from petitions.forms import SignForm
from petitions.services import CampaignNotSignable
from widgets.access import get_widget_campaign, get_widget_partner
from widgets.services import (
    InvalidFormToken,
    PartnerNotInCampaign,
    issue_form_token,
    partner_for_ticket,
    read_form_token,
    sign_through_widget,
)

TOP_COUNTRIES = 5


def any_origin(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let pages on any origin read the response (no credentials are involved)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    return wrapped


def widget_language(requested: str | None) -> str:
    """The embedding page's language if Lantern speaks it (pl-PL -> pl), else the default."""
    code = (requested or "").strip().lower().replace("_", "-")
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return str(settings.LANGUAGE_CODE)


def _endpoints(request: HttpRequest, campaign: Campaign, partner: Partner | None) -> dict[str, str]:
    query = f"?partner={partner.slug}" if partner is not None else ""

    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(name, args=[campaign.slug]))

    return {
        "form": absolute("widgets:form") + query,
        "sign": absolute("widgets:sign") + query,
        "totals": absolute("widgets:totals"),
        "challenge": request.build_absolute_uri(reverse("api-1:challenge")),
    }


def _fragment(
    request: HttpRequest,
    campaign: Campaign,
    partner: Partner | None,
    language: str,
    *,
    form: SignForm | None = None,
    outcome: str = "",
    problem: str = "",
    problem_text: str = "",
) -> str:
    """The widget's inside (styles, counter, form or thank-you), in the given language."""
    with translation.override(language):
        totals = live_totals(campaign.pk)
        context = {
            "campaign": campaign,
            "language": language,
            "form": form if form is not None else SignForm(),
            "token": issue_form_token(campaign, partner),
            "outcome": outcome,
            "problem": problem,
            "problem_text": problem_text,
            "css_url": request.build_absolute_uri(static("widgets/widget.css")),
            "total": totals.total,
            "countries": totals.countries,
            "top_countries": [
                (country_name(code), n) for code, n in totals.by_country[:TOP_COUNTRIES]
            ],
            "campaign_url": request.build_absolute_uri(
                reverse("campaigns:detail", args=[campaign.slug])
            ),
        }
        return render_to_string("widgets/fragment.html", context)


@any_origin
@require_GET
def script(request: HttpRequest, slug: str) -> HttpResponse:
    """`/widget/<campaign>.js?partner=<slug>`: the one script a partner's page includes."""
    campaign = get_widget_campaign(request, slug)
    partner = get_widget_partner(campaign, request.GET.get("partner"))
    config = {
        "campaign": campaign.slug,
        "every": settings.COUNTER_REFRESH_SECONDS * 1000,
        "top": TOP_COUNTRIES,
        **_endpoints(request, campaign, partner),
    }
    # Safe inside a script: no "<", ">" or "&" can close a tag or start a comment.
    text = (
        json.dumps(config).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    response = render(
        request,
        "widgets/widget.js",
        {"config": text},
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@any_origin
@require_GET
def form(request: HttpRequest, slug: str) -> JsonResponse:
    """The widget's inside, in the embedding page's language, with a fresh form token."""
    campaign = get_widget_campaign(request, slug)
    partner = get_widget_partner(campaign, request.GET.get("partner"))
    language = widget_language(request.GET.get("lang"))
    html = _fragment(request, campaign, partner, language)
    response = JsonResponse({"html": html, "language": language})
    response["Cache-Control"] = "no-store"
    return response


@any_origin
@csrf_exempt  # the signed form token stands in for the CSRF cookie: see docs/WIDGET.md
@require_POST
def sign(request: HttpRequest, slug: str) -> JsonResponse:
    """A signature from the widget, counted for the partner its form token names.

    The guard comes first (size, honeypot, rate limits, proof-of-work); a refusal answers
    with its message only (`problem`), and the widget keeps the form as it was typed."""
    try:
        admission = screen_request(request, Kind.SIGN, slug)
    except Refused as refused:
        with translation.override(widget_language(request.GET.get("lang"))):
            response = JsonResponse(
                {"html": "", "outcome": "", "problem": refused.message}, status=refused.status
            )
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return response
    campaign = get_widget_campaign(request, slug)
    language = widget_language(request.POST.get("lang"))
    try:
        ticket = read_form_token(request.POST.get("token", ""), campaign)
        partner = partner_for_ticket(campaign, ticket)
    except (InvalidFormToken, PartnerNotInCampaign):
        # Render the form again with a fresh token and what was typed: nothing is lost.
        with translation.override(language):
            form = SignForm(request.POST)
            form.is_valid()
            html = _fragment(
                request,
                campaign,
                get_widget_partner(campaign, request.GET.get("partner")),
                language,
                form=form,
                problem="expired",
            )
        return JsonResponse({"html": html, "outcome": ""}, status=400)
    with translation.override(language):
        form = SignForm(request.POST)
        valid = form.is_valid()
    if not valid:
        html = _fragment(request, campaign, partner, language, form=form)
        return JsonResponse({"html": html, "outcome": ""}, status=400)
    try:
        outcome = sign_through_widget(campaign, partner, form.to_input(), held=admission.held).value
    except CampaignNotSignable:
        outcome = "closed"
    html = _fragment(request, campaign, partner, language, outcome=outcome)
    return JsonResponse(
        {"html": html, "outcome": outcome}, status=409 if outcome == "closed" else 200
    )


@any_origin
@require_GET
def totals(request: HttpRequest, slug: str) -> JsonResponse:
    """The live counter's figures, with country names in the embedding page's language."""
    campaign = get_widget_campaign(request, slug)
    language = widget_language(request.GET.get("lang"))
    live = live_totals(campaign.pk)
    with translation.override(language):
        top = [
            {"country": code, "name": country_name(code), "count": n}
            for code, n in live.by_country[:TOP_COUNTRIES]
        ]
    response = JsonResponse({"total": live.total, "countries": live.countries, "top": top})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    """`/campaigns/<slug>/embed/`: the snippet to copy, per partner, with a preview."""
    campaign = get_widget_campaign(request, slug)
    partners = list(campaign.partners.order_by("name"))
    chosen = request.GET.get("partner") or None
    partner = get_widget_partner(campaign, chosen) if chosen else None
    script_url = request.build_absolute_uri(reverse("widgets:script", args=[campaign.slug]))
    if partner is not None:
        script_url += f"?partner={partner.slug}"
    context = {
        "campaign": campaign,
        "partners": partners,
        "partner": partner,
        "script_url": script_url,
    }
    return render(request, "widgets/embed.html", context)
