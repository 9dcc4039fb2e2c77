"""How a refused request is answered on Lantern's own pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lantern.guard.checks import Refused


def refused_page(request: HttpRequest, refused: Refused, *, back_url: str = "") -> HttpResponse:
    """A short page saying why nothing was saved (413, 429), with Retry-After when known."""
    context = {"reason": refused.reason.value, "message": refused.message, "back_url": back_url}
    response = render(request, "refused.html", context, status=refused.status)
    if refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response


def keeps_the_form(refused: Refused) -> bool:
    """Honeypot and proof-of-work refusals show the form again with what was typed."""
    return refused.status == 400
