from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.access import get_attributed_partner, get_public_campaign
from campaigns.views import render_campaign_page
from lantern.forms import PostingForm
from petitions.access import get_campaign_for_organizer, get_delivery_for_organizer
from petitions.delivery import ledger_signatures
from petitions.forms import FreezeForm, SignForm
from petitions.models import PetitionDelivery
from petitions.services import (
    CampaignNotSignable,
    ConfirmOutcome,
    DeliveryError,
    InvalidToken,
    SignOutcome,
    confirm_signature,
    freeze_petition,
    rebuild_petition_pdf,
    record_petition_posted,
    sign_petition,
    signature_for_token,
)


@require_POST
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_public_campaign(request, slug)
    if not campaign.accepts_signatures:
        return render(request, "petitions/closed.html", {"campaign": campaign}, status=409)
    form = SignForm(request.POST)
    partner = get_attributed_partner(campaign, request.POST.get("partner"))
    if not form.is_valid():
        return render_campaign_page(request, campaign, form, partner=partner, status=400)
    try:
        outcome = sign_petition(campaign, form.to_input(), partner=partner)
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


# --- Petition delivery (organizers) -------------------------------------------------------


def _delivery_page(
    request: HttpRequest, slug: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    campaign = get_campaign_for_organizer(request, slug)
    delivery = PetitionDelivery.objects.filter(campaign=campaign).first()
    context: dict[str, Any] = {
        "campaign": campaign,
        "delivery": delivery,
        "counted": ledger_signatures(delivery) if delivery else None,
        "download_url": reverse("petitions:delivery_pdf", args=[campaign.slug]),
        "posting_form": PostingForm(),
        "freeze_form": FreezeForm(),
        **extra,
    }
    return render(request, "petitions/delivery.html", context, status=status)


@login_required
@require_GET
def delivery(request: HttpRequest, slug: str) -> HttpResponse:
    return _delivery_page(request, slug)


@login_required
@require_POST
def freeze(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for_organizer(request, slug)
    form = FreezeForm(request.POST)
    if not form.is_valid():
        return _delivery_page(request, slug, status=400, freeze_form=form)
    try:
        freeze_petition(campaign, request.user, place=form.cleaned_data["place"])
    except DeliveryError as exc:
        return _delivery_page(request, slug, status=409, error=str(exc))
    return redirect("petitions:delivery", slug=campaign.slug)


@login_required
@require_POST
def rebuild(request: HttpRequest, slug: str) -> HttpResponse:
    petition_delivery = get_delivery_for_organizer(request, slug)
    try:
        rebuild_petition_pdf(petition_delivery)
    except DeliveryError as exc:
        return _delivery_page(request, slug, status=409, error=str(exc))
    return redirect("petitions:delivery", slug=slug)


@login_required
@require_POST
def posted(request: HttpRequest, slug: str) -> HttpResponse:
    petition_delivery = get_delivery_for_organizer(request, slug)
    form = PostingForm(request.POST)
    if not form.is_valid():
        return _delivery_page(request, slug, status=400, posting_form=form)
    try:
        record_petition_posted(
            petition_delivery,
            posted_on=form.cleaned_data["posted_on"],
            tracking_number=form.cleaned_data["tracking_number"],
            user=request.user,
        )
    except DeliveryError as exc:
        return _delivery_page(request, slug, status=409, posting_form=form, error=str(exc))
    return redirect("petitions:delivery", slug=slug)


@login_required
@require_GET
def delivery_pdf(request: HttpRequest, slug: str) -> FileResponse:
    petition_delivery = get_delivery_for_organizer(request, slug)
    if petition_delivery.pdf_state != PetitionDelivery.PdfState.READY:
        raise Http404("The letter is not built yet.")
    return FileResponse(
        petition_delivery.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"petition-{slug}.pdf",
    )
