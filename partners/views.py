"""The partner area, /partners/<slug>/: a partner's campaigns, actions, supporters, exports,
API tokens and webhooks. Every view goes through `partners.access`."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners import exports
from partners.access import (
    Permission,
    campaigns_for_partner,
    get_token_for_admin,
    get_webhook_for_admin,
    partner_permission_required,
    partners_for,
    request_permissions,
    to_login,
)
from partners.forms import TokenForm, WebhookForm
from partners.models import Partner, WebhookDelivery
from partners.services import create_api_token, record_data_access, revoke_api_token
from partners.webhooks import WebhookRefused, disable_webhook, register_webhook

SEALING_TOOL = Path(settings.BASE_DIR) / "lantern" / "sealing.py"
PAGE_SIZE = 50
RECENT_DELIVERIES = 10
EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.to_xlsx,
    ),
}


def _context(request: HttpRequest, partner: Partner, **extra: object) -> dict[str, object]:
    return {"partner": partner, "can": request_permissions(request, partner), **extra}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return to_login(request)
    partners = list(partners_for(request.user))
    if len(partners) == 1:
        return redirect("partners:dashboard", slug=partners[0].slug)
    return render(request, "partners/index.html", {"partners": partners})


@require_GET
@partner_permission_required(Permission.VIEW_PARTNER)
def dashboard(request: HttpRequest, partner: Partner) -> HttpResponse:
    campaigns = campaigns_for_partner(request.user, partner).annotate(
        partner_actions=Sum("actions__count", filter=Q(actions__partner=partner)),
        partner_reports=Count("actions", filter=Q(actions__partner=partner)),
    )
    return render(
        request, "partners/dashboard.html", _context(request, partner, campaigns=campaigns)
    )


@require_GET
@partner_permission_required(Permission.VIEW_ACTIONS)
def actions(request: HttpRequest, partner: Partner) -> HttpResponse:
    page = Paginator(exports.partner_actions(partner), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partners/actions.html", _context(request, partner, page=page))


@require_GET
@partner_permission_required(Permission.VIEW_SUPPORTERS)
def supporters(request: HttpRequest, partner: Partner) -> HttpResponse:
    page = Paginator(exports.consenting_signatures(partner), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page)
    record_data_access(partner, "supporters page", len(rows), user=request.user)
    tool_url = reverse("partners:sealing_tool", args=[partner.slug])
    context = _context(request, partner, page=page, rows=rows, tool_url=tool_url)
    response = render(request, "partners/supporters.html", context)
    add_never_cache_headers(response)
    return response


@require_GET
@partner_permission_required(Permission.VIEW_SUPPORTERS)
def sealing_tool(request: HttpRequest, partner: Partner) -> HttpResponse:
    """The script that makes a partner's key pair and opens its exports on its own machine."""
    response = HttpResponse(SEALING_TOOL.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sealing.py"'
    return response


def _download(table: exports.Table, partner: Partner, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404("No such format.")
    content_type, write = EXPORT_TYPES[fmt]
    response = HttpResponse(write(table), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{partner.slug}-{table.name}.{fmt}"'
    add_never_cache_headers(response)
    return response


@require_GET
@partner_permission_required(Permission.VIEW_ACTIONS)
def export_actions(request: HttpRequest, partner: Partner, fmt: str) -> HttpResponse:
    return _download(exports.actions_table(partner), partner, fmt)


@require_GET
@partner_permission_required(Permission.VIEW_SUPPORTERS)
def export_supporters(request: HttpRequest, partner: Partner, fmt: str) -> HttpResponse:
    response = _download(exports.supporters_table(partner), partner, fmt)
    records = exports.consenting_signatures(partner).count()
    record_data_access(partner, "supporters export", records, exported=True, user=request.user)
    return response


@require_GET
@partner_permission_required(Permission.VIEW_SUPPORTERS)
def export_osdi(request: HttpRequest, partner: Partner) -> HttpResponse:
    base = f"{settings.SITE_URL}/api/v1/partner/osdi"
    document = exports.osdi_export(partner, base)
    records = len(document["_embedded"]["osdi:signatures"])
    record_data_access(partner, "OSDI export", records, exported=True, user=request.user)
    body = json.dumps(document, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/hal+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{partner.slug}-osdi.json"'
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
@partner_permission_required(Permission.MANAGE_TOKENS)
def tokens(request: HttpRequest, partner: Partner) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user if request.user.is_authenticated else None
            token, plain = create_api_token(
                partner,
                form.cleaned_data["name"],
                form.cleaned_data["scopes"],
                created_by=user,
            )
            created = {"token": token, "plain": plain}
            form = TokenForm()
        else:
            status = 400
    context = _context(
        request,
        partner,
        form=form,
        created=created,
        tokens=partner.api_tokens.order_by("revoked_at", "-created_at"),
    )
    response = render(request, "partners/tokens.html", context, status=status)
    add_never_cache_headers(response)  # the new token is shown once, never from a cache
    return response


@require_POST
@partner_permission_required(Permission.MANAGE_TOKENS)
def revoke_token(request: HttpRequest, partner: Partner, pk: int) -> HttpResponse:
    token = get_token_for_admin(request, partner, pk)
    revoke_api_token(token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("partners:tokens", slug=partner.slug)


@require_http_methods(["GET", "POST"])
@partner_permission_required(Permission.MANAGE_WEBHOOKS)
def webhooks(request: HttpRequest, partner: Partner) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user if request.user.is_authenticated else None
            try:
                endpoint, secret = register_webhook(
                    partner, form.cleaned_data["url"], created_by=user
                )
            except WebhookRefused as exc:
                form.add_error("url", str(exc))
            else:
                created = {"endpoint": endpoint, "secret": secret}
                form = WebhookForm()
        if form.errors:
            status = 400
    recent = Prefetch(
        "deliveries",
        queryset=WebhookDelivery.objects.order_by("-created_at", "-pk")[:RECENT_DELIVERIES],
        to_attr="recent_deliveries",
    )
    endpoints = partner.webhooks.filter(disabled_at__isnull=True).prefetch_related(recent)
    context = _context(request, partner, form=form, created=created, endpoints=endpoints)
    response = render(request, "partners/webhooks.html", context, status=status)
    add_never_cache_headers(response)
    return response


@require_POST
@partner_permission_required(Permission.MANAGE_WEBHOOKS)
def remove_webhook(request: HttpRequest, partner: Partner, pk: int) -> HttpResponse:
    endpoint = get_webhook_for_admin(request, partner, pk)
    disable_webhook(endpoint)
    messages.success(request, _("Webhook to %(url)s removed.") % {"url": endpoint.url})
    return redirect("partners:webhooks", slug=partner.slug)
