"""Admin pieces shared by the apps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice


class ReadOnlyAdmin:
    """Shown in the admin, never added, changed or deleted there: Lantern's services write
    these rows (the ledger, imports, the audit log, signatures) and audit what they do."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AutocompleteSelect(widgets.AutocompleteSelect):
    """Django's autocomplete select, for a form sent back with a value that is not an id.

    Django's widget looks the submitted value up as it is, so a damaged form ("a\\x00b" or
    a number too large for the database as the case) made the page fail with a 500 instead
    of showing the form's own error ("Select a valid choice"). Values that cannot be an id
    are left out of the lookup."""

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        meta = self.field.remote_field.model._meta
        to_field = meta.get_field(getattr(self.field.remote_field, "field_name", meta.pk.attname))
        return super().optgroups(name, [v for v in value if _is_value_of(to_field, v)], attr)


def _is_value_of(field: Any, value: Any) -> bool:
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class AutocompleteAdmin:
    """Mix into a ModelAdmin or inline with `autocomplete_fields`: they use the widget above."""

    admin_site: Any

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]  # a ModelAdmin's
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        field: ModelChoiceField[Any] | None = super().formfield_for_foreignkey(  # type: ignore[misc]  # a ModelAdmin's
            db_field, request, **kwargs
        )
        return field


class TwoFactorDeviceAdmin(admin.ModelAdmin[TOTPDevice]):
    """Staff members' authenticator devices: listed, and deletable (a lost phone), never shown.

    Replaces django-otp's own admin, whose pages show the device's secret and its QR code
    (the enrolment at /account/two-factor/ is where a device is made); those pages also
    failed with a 500 without the optional `qrcode` package."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        return False


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TwoFactorDeviceAdmin)
