"""The offline kit's pages: one in the partner area (the QR codes count for that partner),
one among the campaign's organizer pages (organizers pick the partner, or none). Both list
the pieces and what each is for; every PDF is made on request. Permissions: partners.access
for members, staff for organizers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from campaigns.models import Campaign
from kit.forms import SIZE_LABELS, KitForm
from kit.pieces import PIECES, Piece
from kit.pieces.base import MAX_SHEETS
from kit.printing import campaign_link, kit_languages
from kit.services import KitRefused, build_piece
from partners.access import (
    Permission,
    get_campaign_for_partner,
    partner_permission_required,
    request_permissions,
)
from partners.models import Partner
from petitions.access import get_campaign_for_organizer


def _piece(slug: str) -> Piece:
    try:
        return PIECES[slug]
    except KeyError:
        raise Http404("No such piece in the kit.") from None


PieceUrl = Callable[[str], str]  # a piece's slug -> the URL of its PDF


def _default_form(request: HttpRequest, campaign: Campaign, partner: Partner | None) -> KitForm:
    """The campaign's first case, in the reader's language if the kit comes in it."""
    first = campaign.cases.order_by("name").first()
    languages = kit_languages(campaign)
    reader = (get_language() or "").split("-")[0]
    initial = {
        "case": first.slug if first else "",
        "language": reader if reader in languages else languages[0],
    }
    return KitForm(initial, campaign=campaign, partner=partner)


def _kit_page(
    request: HttpRequest,
    campaign: Campaign,
    partner: Partner | None,
    piece_url: PieceUrl,
    form: KitForm,
) -> HttpResponse:
    """The kit page: the choice of case and language, then each piece with its download
    links, or why it cannot be made. A bad choice shows the form with its errors (400)."""
    pieces: list[dict[str, Any]] = []
    link = ""
    valid = form.is_valid()
    if valid:
        spec = form.spec()
        link = campaign_link(campaign, spec.partner)
        query = {"case": spec.case.slug, "language": spec.language}
        if spec.partner is not None and partner is None:
            query["partner"] = spec.partner.slug
        for piece in PIECES.values():
            url = piece_url(piece.slug)
            pieces.append(
                {
                    "piece": piece,
                    "refusal": piece.refusal(spec),
                    "action": url,
                    "query": query,
                    "links": [
                        (SIZE_LABELS[size], f"{url}?{urlencode({**query, 'size': size})}")
                        for size in piece.sizes
                    ],
                }
            )
    context = {
        "campaign": campaign,
        "partner": partner,
        "form": form,
        "pieces": pieces,
        "link": link,
        "max_sheets": MAX_SHEETS,
        "can": request_permissions(request, partner) if partner is not None else frozenset(),
    }
    return render(request, "kit/kit.html", context, status=200 if valid else 400)


def _page(
    request: HttpRequest, campaign: Campaign, partner: Partner | None, piece_url: PieceUrl
) -> HttpResponse:
    form = (
        KitForm(request.GET, campaign=campaign, partner=partner)
        if request.GET
        else _default_form(request, campaign, partner)
    )
    return _kit_page(request, campaign, partner, piece_url, form)


def _pdf(
    request: HttpRequest,
    campaign: Campaign,
    partner: Partner | None,
    piece: Piece,
    urls: tuple[str, PieceUrl],
) -> HttpResponse:
    page_url, piece_url = urls
    form = KitForm(request.GET, campaign=campaign, partner=partner)
    if not form.is_valid():
        return _kit_page(request, campaign, partner, piece_url, form)
    spec = form.spec()
    try:
        pdf = build_piece(piece, spec)
    except KitRefused as exc:
        context = {"campaign": campaign, "piece": piece, "reason": str(exc), "back": page_url}
        return render(request, "kit/refused.html", context, status=409)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{piece.filename(spec)}"'
    add_never_cache_headers(response)
    return response


# --- The partner area ----------------------------------------------------------------------


def _partner_urls(partner: Partner, campaign: Campaign) -> tuple[str, PieceUrl]:
    return (
        reverse("kit:partner_kit", args=[partner.slug, campaign.slug]),
        lambda piece: reverse("kit:partner_piece", args=[partner.slug, campaign.slug, piece]),
    )


@require_GET
@partner_permission_required(Permission.VIEW_PARTNER)
def partner_kit(request: HttpRequest, partner: Partner, campaign: str) -> HttpResponse:
    found = get_campaign_for_partner(request, partner, campaign)
    return _page(request, found, partner, _partner_urls(partner, found)[1])


@require_GET
@partner_permission_required(Permission.VIEW_PARTNER)
def partner_piece(
    request: HttpRequest, partner: Partner, campaign: str, piece: str
) -> HttpResponse:
    found = get_campaign_for_partner(request, partner, campaign)
    return _pdf(request, found, partner, _piece(piece), _partner_urls(partner, found))


# --- The organizers' page --------------------------------------------------------------------


def _organizer_urls(campaign: Campaign) -> tuple[str, PieceUrl]:
    return (
        reverse("kit:organizer_kit", args=[campaign.slug]),
        lambda piece: reverse("kit:organizer_piece", args=[campaign.slug, piece]),
    )


@login_required
@require_GET
def organizer_kit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for_organizer(request, slug)
    return _page(request, campaign, None, _organizer_urls(campaign)[1])


@login_required
@require_GET
def organizer_piece(request: HttpRequest, slug: str, piece: str) -> HttpResponse:
    campaign = get_campaign_for_organizer(request, slug)
    return _pdf(request, campaign, None, _piece(piece), _organizer_urls(campaign))
