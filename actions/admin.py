from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from actions.forms import ImportActionsForm
from actions.models import Action, ImportBatch
from actions.services import import_actions_csv
from lantern.admin import ReadOnlyAdmin


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin, admin.ModelAdmin[Action]):
    """The ledger is append-only: rows are viewed here, never edited or deleted."""

    list_display = [
        "occurred_at",
        "campaign",
        "action_type",
        "count",
        "country",
        "city",
        "channel",
        "partner",
        "source",
    ]
    list_filter = ["campaign", "action_type", "channel", "source", "partner"]
    list_select_related = ["campaign", "partner"]
    date_hierarchy = "occurred_at"
    change_list_template = "actions/admin_action_changelist.html"

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="actions_action_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("actions.add_importbatch"):
            return HttpResponse("You may not import actions.", status=403)
        errors: list[str] = []
        posted = request.method == "POST"
        form = ImportActionsForm(request.POST, request.FILES) if posted else ImportActionsForm()
        if posted and form.is_valid():
            upload = form.cleaned_data["file"]
            user = request.user if isinstance(request.user, User) else None
            result = import_actions_csv(
                upload,
                campaign=form.cleaned_data["campaign"],
                partner=form.cleaned_data["partner"],
                filename=upload.name or "upload.csv",
                imported_by=user,
            )
            if result.ok:
                self.message_user(
                    request,
                    f"Imported {result.added:,} new row(s); "
                    f"{result.already_recorded:,} were already recorded.",
                    messages.SUCCESS,
                )
                return redirect("admin:actions_action_changelist")
            errors = [str(error) for error in result.errors]
        context = {
            **self.admin_site.each_context(request),
            "title": "Import actions from CSV",
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        status = 400 if posted else 200  # here after a POST: the form or the file was refused
        return TemplateResponse(request, "actions/admin_import.html", context, status=status)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin, admin.ModelAdmin[ImportBatch]):
    list_display = [
        "filename",
        "campaign",
        "partner",
        "rows_in_file",
        "rows_added",
        "imported_by",
        "created_at",
    ]
    list_filter = ["campaign", "partner"]
