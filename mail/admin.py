"""Mail batches in the admin: to look up a batch or a letter's outcome (the work is at /mail/)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from mail.models import MailBatch, MailItem


class MailItemInline(admin.TabularInline[MailItem, MailBatch]):
    model = MailItem
    fields = ("position", "letter", "address", "outcome", "outcome_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(MailBatch)
class MailBatchAdmin(admin.ModelAdmin[MailBatch]):
    list_display = ["pk", "facility", "created_at", "posted_on", "tracking_number", "pdf_state"]
    list_filter = ["facility", "pdf_state"]
    list_select_related = ["facility"]
    readonly_fields = [
        "facility",
        "created_by",
        "created_at",
        "pdf",
        "pdf_state",
        "pdf_done",
        "pdf_total",
        "pdf_error",
        "pdf_built_at",
        "posted_on",
        "posted_by",
    ]
    fields = [*readonly_fields, "tracking_number"]
    inlines = [MailItemInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # batches are made at /mail/, from the facility's queue
