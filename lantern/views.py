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
from lantern.twofactor import confirm_device, manual_key, pending_device, qr_svg, turn_off


class CodeForm(forms.Form):
    token = forms.CharField(
        max_length=10,
        label=gettext_lazy("Code from your authenticator app"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@require_http_methods(["GET", "POST"])
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (QR code, then a code), or turn it off with a code."""
    user = request.user
    if not isinstance(user, User) or not user.is_staff:
        raise PermissionDenied("Two-factor sign-in is for staff.")
    device = confirmed_device(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if device is not None:
            if turn_off(device, token):
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("two_factor")
        else:
            pending = pending_device(user)
            if confirm_device(pending, token):
                django_otp.login(request, pending)
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("two_factor")
        form.add_error(
            "token", _("That code is wrong or too old. Enter the code your app shows now.")
        )
    if request.method == "POST":
        status = 400
    context: dict[str, object] = {"enrolled": device is not None, "form": form}
    if device is None:
        pending = pending_device(user)
        context |= {"qr": qr_svg(pending), "secret": manual_key(pending)}
    response = render(request, "two_factor.html", context, status=status)
    add_never_cache_headers(response)  # the key is on the page
    return response
