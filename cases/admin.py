from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from cases.models import AddressPeriod, Case, CaseEvent, CaseName, CaseTranslation, Facility
from mail.services import reroute_unposted


def _reroute_after_change(case_ids: list[int]) -> None:
    """A new or changed address period, or a new status, is a move (or a release): letters
    in batches not yet posted follow the person (docs/MAIL.md, "When a person moves")."""
    reroute_unposted(case_ids)


class CaseNameInline(admin.TabularInline[CaseName, Case]):
    model = CaseName
    extra = 1


class CaseEventInline(admin.TabularInline[CaseEvent, Case]):
    model = CaseEvent
    extra = 1


class CaseTranslationInline(admin.StackedInline[CaseTranslation, Case]):
    model = CaseTranslation
    extra = 0


class AddressPeriodInline(admin.StackedInline[AddressPeriod, Facility]):
    model = AddressPeriod
    extra = 0
    autocomplete_fields = ["case"]


@admin.register(AddressPeriod)
class AddressPeriodAdmin(admin.ModelAdmin[AddressPeriod]):
    """Where each case receives mail; kept apart from the case form so that it stays short."""

    list_display = ["case", "facility", "valid_from", "valid_to"]
    list_filter = ["facility__country"]
    search_fields = ["case__name", "facility__name"]
    autocomplete_fields = ["case", "facility"]

    def save_model(
        self, request: HttpRequest, obj: AddressPeriod, form: ModelForm[AddressPeriod], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        _reroute_after_change([obj.case_id])


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin[Facility]):
    list_display = ["name", "country", "kind", "max_length_chars", "postcards_allowed"]
    list_filter = ["country", "kind"]
    search_fields = ["name"]
    inlines = [AddressPeriodInline]

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Facility],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        super().save_formset(request, form, formset, change)
        saved = [*formset.new_objects, *(obj for obj, _ in formset.changed_objects)]
        _reroute_after_change([p.case_id for p in saved if isinstance(p, AddressPeriod)])


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["name", "country", "status", "updated_at"]
    list_filter = ["status", "country"]
    search_fields = ["name", "names__name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CaseNameInline, CaseEventInline, CaseTranslationInline]

    def save_model(
        self, request: HttpRequest, obj: Case, form: ModelForm[Case], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data:
            _reroute_after_change([obj.pk])
