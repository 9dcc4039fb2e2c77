"""Lantern's admin site: throttled sign-in, and a code from staff who enrolled a device."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from lantern.signin import AdminSignInForm, confirmed_device, throttled_login


class LanternAdminSite(admin.AdminSite):
    login_form = AdminSignInForm
    login_template = "admin/lantern_login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        """Staff, and verified by their authenticator if they enrolled one."""
        if not super().has_permission(request):
            return False
        verified = getattr(request.user, "is_verified", lambda: False)()
        return bool(verified) or confirmed_device(request.user) is None

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = throttled_login(super().login)(request, extra_context)
        assert isinstance(response, HttpResponse)  # noqa: S101 - the admin's login renders
        return response
