from typing import Any

from django.contrib import admin
from django.forms import BaseModelForm
from django.http import HttpRequest

from audit.services import Action as Audit
from audit.services import record
from partners.models import (
    ApiToken,
    Membership,
    Partner,
    WebhookDelivery,
    WebhookEndpoint,
)
from partners.services import revoke_api_token


class MembershipInline(admin.TabularInline[Membership, Partner]):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin[Partner]):
    list_display = ["name", "slug", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_model(
        self, request: HttpRequest, obj: Partner, form: BaseModelForm[Partner], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if "contact_public_key" in form.changed_data:
            detail = f"fingerprint {obj.contact_key_fingerprint or 'none'}"
            record(Audit.PARTNER_KEY_SET, actor=request.user, obj=obj, partner=obj, detail=detail)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Memberships are roles: each one added, changed or removed is audited."""
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        for membership in formset.new_objects:
            _audit_membership(request, Audit.MEMBERSHIP_ADDED, membership)
        for membership, fields in formset.changed_objects:
            _audit_membership(request, Audit.MEMBERSHIP_CHANGED, membership, ", ".join(fields))
        for membership in formset.deleted_objects:
            _audit_membership(request, Audit.MEMBERSHIP_REMOVED, membership)


def _audit_membership(request: HttpRequest, action: str, m: Membership, changed: str = "") -> None:
    detail = f"user {m.user_id} as {m.role}" + (f" (changed: {changed})" if changed else "")
    record(action, actor=request.user, obj=m, partner=m.partner, detail=detail)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are created with `manage.py create_api_token` (shown once); here they are revoked."""

    list_display = [
        "partner",
        "name",
        "prefix",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["partner"]
    readonly_fields = [
        "partner",
        "name",
        "prefix",
        "scopes",
        "created_by",
        "created_at",
        "last_used_at",
    ]
    exclude = ["token_hash", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset.select_related("partner"):
            revoke_api_token(token, by=request.user)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    """Partner admins register endpoints in the partner area (the secret is shown once)."""

    list_display = ["partner", "url", "created_at", "disabled_at"]
    list_filter = ["partner"]
    exclude = ["secret_sealed"]
    readonly_fields = ["partner", "url", "created_by", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ["endpoint", "event", "status", "attempts", "last_response_status", "created_at"]
    list_filter = ["status", "endpoint__partner"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
