from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from audit.models import AuditEntry
from audit.services import Action, record


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Organizers read the log; nobody adds, changes or deletes (the database refuses too)."""

    list_display = ["at", "actor", "action", "partner", "object_type", "object_id", "records"]
    list_filter = ["action", "object_type", "partner", "at"]
    search_fields = ["actor", "object_id", "detail"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)


class AuditedUserAdmin(UserAdmin[User]):
    """Django's user admin; a change of the staff or superuser flag is audited."""

    ROLE_FIELDS = ("is_staff", "is_superuser", "is_active", "groups", "user_permissions")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changed = [f for f in self.ROLE_FIELDS if f in form.changed_data]
        if changed:
            user = form.instance
            flags = f"staff={user.is_staff}, superuser={user.is_superuser}"
            detail = f"user {user.pk}: {', '.join(changed)} ({flags})"
            record(Action.STAFF_CHANGED, actor=request.user, obj=user, detail=detail)


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
