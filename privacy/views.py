"""A supporter's own data: ask for a copy or its erasure; confirm from the mailbox."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from privacy.forms import PrivacyRequestForm
from privacy.models import PrivacyRequest
from privacy.services import (
    InvalidRequestLink,
    RequestOutcome,
    confirm_privacy_request,
    request_for_token,
    request_privacy,
)


@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    # Abuse limits plug in here, before any work (issue 6, item 4): the rate limit per hashed
    # client key and the proof-of-work check, as on the sign form.
    form = PrivacyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_privacy(form.cleaned_data["email"], form.cleaned_data["kind"])
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            return redirect("privacy:sent")
    status = 400 if form.errors else 200
    return render(request, "privacy/request.html", {"form": form}, status=status)


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/sent.html")


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners only GET); the POST carries the request out."""
    try:
        privacy_request = request_for_token(token)
    except InvalidRequestLink:
        return render(request, "privacy/invalid.html", status=404)
    context: dict[str, object] = {"privacy_request": privacy_request}
    if request.method == "POST":
        result = confirm_privacy_request(privacy_request)
        context["done"] = result.outcome == RequestOutcome.DONE
        context["already"] = result.outcome == RequestOutcome.ALREADY_DONE
        if result.export is not None:
            context["export"] = result.export
            context["export_json"] = json.dumps(result.export, ensure_ascii=False, indent=2)
        context["erased"] = result.erased
    else:
        context["already"] = privacy_request.confirmed_at is not None
    context["is_export"] = privacy_request.kind == PrivacyRequest.Kind.EXPORT
    response = render(request, "privacy/confirm.html", context)
    add_never_cache_headers(response)
    return response
