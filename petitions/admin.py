from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.admin import PersonalDataAdmin
from lantern.admin import ReadOnlyAdmin
from petitions.models import Signature
from petitions.services import approve_held_signatures, reject_held_signatures


class HeldFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "held"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("yes", str(_("Held for review")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Signature]) -> QuerySet[Signature]:
        if self.value() == "yes":
            return queryset.filter(held_for_review=True)
        return queryset


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin, PersonalDataAdmin):
    """Read-only: signatures change only through the petition services. Signatures held
    for review (over a rate limit) are approved or rejected in bulk with the actions."""

    list_display = [
        "shown_name",
        "country",
        "city",
        "campaign",
        "created_at",
        "confirmed_at",
        "held_for_review",
    ]
    list_filter = [HeldFilter, "campaign", "country"]
    exclude = ["email_sealed", "partner_email_sealed", "email_hash"]
    list_select_related = ["campaign"]
    actions = ["approve_held", "reject_held"]

    @admin.action(description=_("Approve the held signatures: count them"))
    def approve_held(self, request: HttpRequest, queryset: QuerySet[Signature]) -> None:
        released = approve_held_signatures(
            queryset.filter(held_for_review=True), actor=request.user
        )
        text = ngettext(
            "%(count)d held signature approved.", "%(count)d held signatures approved.", released
        )
        self.message_user(request, text % {"count": released}, messages.SUCCESS)

    @admin.action(description=_("Reject the held signatures: discard them"))
    def reject_held(self, request: HttpRequest, queryset: QuerySet[Signature]) -> None:
        rejected = reject_held_signatures(queryset.filter(held_for_review=True), actor=request.user)
        text = ngettext(
            "%(count)d held signature discarded.", "%(count)d held signatures discarded.", rejected
        )
        self.message_user(request, text % {"count": rejected}, messages.SUCCESS)
