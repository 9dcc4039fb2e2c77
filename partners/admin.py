from django.contrib import admin

from lantern.admin import AutocompleteAdmin
from partners.models import (
    ApiToken,
    Membership,
    Partner,
    PersonalDataAccess,
    WebhookDelivery,
    WebhookEndpoint,
)


class MembershipInline(AutocompleteAdmin, admin.TabularInline[Membership, Partner]):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin[Partner]):
    list_display = ["name", "slug", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


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
    exclude = ["token_hash"]

    def has_add_permission(self, request: object) -> bool:
        return False


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


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin[PersonalDataAccess]):
    """The audit log of supporters' contact data shown or exported: read only."""

    list_display = ["created_at", "partner", "kind", "records", "user", "token"]
    list_filter = ["partner", "kind"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
