from django.contrib import admin

from partners.models import ApiToken, Membership, Partner


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
