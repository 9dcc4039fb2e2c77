"""Project-wide pages: staff's two-factor sign-in."""

from __future__ import annotations

import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lantern.signin import confirmed_device
from lantern.twofactor import (
    EnrolmentExpired,
    confirm_device,
    device_from_signed_key,
    manual_key,
    new_device,
    qr_svg,
    signed_key,
    turn_off,
)


class CodeForm(forms.Form):
    token = forms.CharField(
        max_length=10,
        label=gettext_lazy("Code from your authenticator app"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@require_http_methods(["GET", "POST"])
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (QR code, then a code), or turn it off with a code.

    A GET stores nothing: the new key travels in a signed field until a code confirms it."""
    user = request.user
    if not isinstance(user, User) or not user.is_staff:
        raise PermissionDenied("Two-factor sign-in is for staff.")
    device = confirmed_device(user)
    form = CodeForm(request.POST or None)
    pending = None
    if device is None:
        try:
            pending = device_from_signed_key(user, request.POST.get("key", ""))
        except EnrolmentExpired:
            pending = new_device(user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            token = form.cleaned_data["token"]
            if device is not None and turn_off(device, token):
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("two_factor")
            if pending is not None and confirm_device(pending, token):
                django_otp.login(request, pending)
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("two_factor")
            form.add_error(
                "token", _("That code is wrong or too old. Enter the code your app shows now.")
            )
    context: dict[str, object] = {"enrolled": device is not None, "form": form}
    if pending is not None:
        context |= {
            "qr": qr_svg(pending),
            "secret": manual_key(pending),
            "signed_key": signed_key(pending),
        }
    response = render(request, "two_factor.html", context, status=status)
    add_never_cache_headers(response)  # the key is on the page
    return response
