from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from audit.models import AuditEntry
from audit.services import Action, record
from lantern.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin[AuditEntry]):
    """Organizers read the log; nobody adds, changes or deletes (the database refuses too)."""

    list_display = ["at", "actor", "action", "partner", "object_type", "object_id", "records"]
    list_filter = ["action", "object_type", "partner", "at"]
    search_fields = ["actor", "object_id", "detail"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)


class PersonalDataAdmin(admin.ModelAdmin[Any]):
    """An admin whose pages show supporters' personal data: each list or page is audited."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            shown = len(changelist.result_list)
            detail = f"admin list of {self.model._meta.verbose_name_plural}"
            record(Action.DATA_VIEWED, actor=request.user, records=shown, detail=detail)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and request.method == "GET":
            obj = self.get_object(request, object_id)
            record(Action.DATA_VIEWED, actor=request.user, obj=obj, records=1, detail="admin page")
        return response


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
