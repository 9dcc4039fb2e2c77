from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from audit.admin import PersonalDataAdmin
from letters import screening
from letters.models import Finding, Letter, LetterTemplate, Rulebook, Translation
from letters.services import revise_rulebook


class RulebookForm(forms.ModelForm[Rulebook]):
    class Meta:
        model = Rulebook
        fields = ["name", "country", "facility", "rules", "note"]

    def clean_rules(self) -> Any:
        rules = self.cleaned_data["rules"]
        try:
            screening.validate_rules(rules)
        except screening.InvalidRule as exc:
            raise forms.ValidationError(str(exc)) from exc
        return rules


@admin.register(Rulebook)
class RulebookAdmin(admin.ModelAdmin[Rulebook]):
    """Saving a change stores a new version; earlier versions stay, read-only and inactive."""

    form = RulebookForm
    list_display = ["name", "version", "active", "country", "facility", "created_at"]
    list_filter = ["active", "country"]
    search_fields = ["name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Rulebook | None = None) -> Any:
        if obj is None:
            return []
        if not obj.active:
            return ["name", "country", "facility", "rules", "note"]
        return ["name", "country", "facility"]

    def save_model(self, request: HttpRequest, obj: Rulebook, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]  # admin users are Users
            super().save_model(request, obj, form, change)
            return
        user = request.user if isinstance(request.user, AbstractBaseUser) else None
        new = revise_rulebook(obj, rules=obj.rules, note=obj.note, user=user)
        obj.pk, obj.version, obj.active = new.pk, new.version, new.active

    def has_delete_permission(self, request: HttpRequest, obj: Rulebook | None = None) -> bool:
        return False  # findings name the version that produced them


class FindingInline(admin.TabularInline[Finding, Letter]):
    model = Finding
    extra = 0
    can_delete = False
    fields = readonly_fields = ("rule", "severity", "message", "matched_text", "start", "end")


class TranslationInline(admin.StackedInline[Translation, Letter]):
    model = Translation
    extra = 0
    readonly_fields = ["translator", "machine_backend", "created_at"]


@admin.register(Letter)
class LetterAdmin(PersonalDataAdmin):
    """For looking up a letter; moderation happens on /letters/moderate/."""

    list_display = ["pk", "case", "kind", "language", "author_country", "status", "created_at"]
    list_filter = ["status", "kind", "language", "campaign"]
    search_fields = ["author_name", "text"]
    readonly_fields = [
        "campaign",
        "case",
        "kind",
        "text",
        "original_text",
        "language",
        "author_name",
        "author_country",
        "status",
        "rejection_reason",
        "moderated_by",
        "moderated_at",
        "action",
        "partner",
        "created_at",
        "updated_at",
    ]
    exclude = ["author_contact_sealed", "author_email_hash"]
    inlines = [FindingInline, TranslationInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # letters come in through submit_letter, which counts them


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin[LetterTemplate]):
    list_display = ["title", "language", "kind", "facility", "country"]
    list_filter = ["language", "kind", "country"]
