from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.access import get_public_campaign
from campaigns.views import render_campaign_page
from petitions.forms import SignForm
from petitions.services import (
    CampaignNotSignable,
    ConfirmOutcome,
    InvalidToken,
    SignOutcome,
    confirm_signature,
    sign_petition,
    signature_for_token,
)


@require_POST
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_public_campaign(request, slug)
    if not campaign.accepts_signatures:
        return render(request, "petitions/closed.html", {"campaign": campaign}, status=409)
    form = SignForm(request.POST)
    if not form.is_valid():
        return render_campaign_page(request, campaign, form, status=400)
    try:
        outcome = sign_petition(campaign, form.to_input())
    except CampaignNotSignable:
        return render(request, "petitions/closed.html", {"campaign": campaign}, status=409)
    url = reverse("petitions:signed", args=[campaign.slug])
    return redirect(f"{url}?outcome={outcome.value}")


@require_GET
def signed(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_public_campaign(request, slug)
    try:
        outcome = SignOutcome(request.GET.get("outcome", ""))
    except ValueError:
        outcome = SignOutcome.COUNTED
    return render(
        request, "petitions/signed.html", {"campaign": campaign, "outcome": outcome.value}
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST it sends confirms (link-following scanners only GET)."""
    try:
        signature = signature_for_token(token)
    except InvalidToken:
        return render(request, "petitions/confirm_invalid.html", status=404)
    context = {"campaign": signature.campaign, "token": token}
    if request.method == "GET":
        context["already"] = signature.confirmed_at is not None
        return render(request, "petitions/confirm.html", context)
    outcome = confirm_signature(signature)
    context["outcome"] = outcome.value
    context["already"] = outcome is ConfirmOutcome.ALREADY_CONFIRMED
    return render(request, "petitions/confirmed.html", context)
