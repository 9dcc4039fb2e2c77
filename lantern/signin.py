"""Signing in: throttled before any password is hashed, and a TOTP code for enrolled staff.

The admin's login and the partners' sign-in page both go through `throttled_login` and a
form with `TwoFactorMixin`. Every attempt spends one unit of `LOGIN_RATE_CLIENT` for the
(hashed) client address; every failed one, one unit of `LOGIN_RATE_ACCOUNT` for the (hashed)
username. Past either, the page answers 429 before Django checks the password (a password
hash is the most expensive thing a sign-in does). Nothing is stored in the clear.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.guard import request_client_key
from lantern.guard.store import get_store


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's authenticator, if they enrolled one."""
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


class TwoFactorMixin(forms.Form):
    """A sign-in form that asks for a code from users who enrolled an authenticator."""

    otp_token = forms.CharField(
        required=False,
        max_length=10,
        label=_("Code from your authenticator app"),
        help_text=_("Only if you turned on two-factor sign-in."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    # The two-factor problem, if that is why signing in failed (for the page to say so).
    otp_problem = ""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        user = self.get_user()  # type: ignore[attr-defined]  # AuthenticationForm's
        device = confirmed_device(user)
        if device is not None:
            token = "".join(str(data.get("otp_token") or "").split())
            if not token:
                self.otp_problem = str(_("Enter the code from your authenticator app."))
                raise forms.ValidationError(self.otp_problem, code="otp_required")
            if not device.verify_token(token):
                self.otp_problem = str(
                    _("That code is wrong or too old. Enter the code your app shows now.")
                )
                raise forms.ValidationError(self.otp_problem, code="otp_invalid")
            user.otp_device = device  # django_otp marks the session verified on login
        return data


class SignInForm(TwoFactorMixin, AuthenticationForm):
    pass


class AdminSignInForm(TwoFactorMixin, AdminAuthenticationForm):
    pass


def _account_key(username: str) -> str:
    key = hmac.new(settings.SECRET_KEY.encode(), b"lantern.signin.account", hashlib.sha256)
    return hmac.new(key.digest(), username.strip().lower().encode(), hashlib.sha256).hexdigest()


def throttled_login(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Refuse sign-in attempts past the limits (429) before the password is checked."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        store = get_store()
        account = f"login:account:{_account_key(request.POST.get('username', '')[:150])}"
        client = store.take(
            f"login:client:{request_client_key(request)}", settings.LOGIN_RATE_CLIENT
        )
        failures = store.peek(account, settings.LOGIN_RATE_ACCOUNT)
        if not (client.allowed and failures.allowed):
            wait = max(client.retry_after_s, failures.retry_after_s)
            refusal = render(
                request, "signin_throttled.html", {"minutes": max(1, -(-wait // 60))}, status=429
            )
            refusal["Retry-After"] = str(wait)
            return refusal
        response = view(request, *args, **kwargs)
        if not request.user.is_authenticated:
            store.take(account, settings.LOGIN_RATE_ACCOUNT)
        return response

    return wrapped
