from django.contrib import admin

from cases.models import AddressPeriod, Case, CaseEvent, CaseName, CaseTranslation, Facility
from lantern.admin import AutocompleteAdmin


class CaseNameInline(admin.TabularInline[CaseName, Case]):
    model = CaseName
    extra = 1


class CaseEventInline(admin.TabularInline[CaseEvent, Case]):
    model = CaseEvent
    extra = 1


class CaseTranslationInline(admin.StackedInline[CaseTranslation, Case]):
    model = CaseTranslation
    extra = 0


class AddressPeriodInline(AutocompleteAdmin, admin.StackedInline[AddressPeriod, Facility]):
    model = AddressPeriod
    extra = 0
    autocomplete_fields = ["case"]


@admin.register(AddressPeriod)
class AddressPeriodAdmin(AutocompleteAdmin, admin.ModelAdmin[AddressPeriod]):
    """Where each case receives mail; kept apart from the case form so that it stays short."""

    list_display = ["case", "facility", "valid_from", "valid_to"]
    list_filter = ["facility__country"]
    search_fields = ["case__name", "facility__name"]
    autocomplete_fields = ["case", "facility"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin[Facility]):
    list_display = ["name", "country", "kind", "max_length_chars", "postcards_allowed"]
    list_filter = ["country", "kind"]
    search_fields = ["name"]
    inlines = [AddressPeriodInline]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["name", "country", "status", "updated_at"]
    list_filter = ["status", "country"]
    search_fields = ["name", "names__name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CaseNameInline, CaseEventInline, CaseTranslationInline]
