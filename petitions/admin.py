from django.contrib import admin
from django.http import HttpRequest

from audit.admin import PersonalDataAdmin
from petitions.models import Signature


@admin.register(Signature)
class SignatureAdmin(PersonalDataAdmin):
    """Read-only: signatures change only through the petition services."""

    list_display = ["shown_name", "country", "city", "campaign", "created_at", "confirmed_at"]
    list_filter = ["campaign", "country"]
    exclude = ["email_sealed", "partner_email_sealed", "email_hash"]
    list_select_related = ["campaign"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
