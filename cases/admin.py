from django.contrib import admin

from cases.models import Case, CaseEvent, CaseName


class CaseNameInline(admin.TabularInline[CaseName, Case]):
    model = CaseName
    extra = 1


class CaseEventInline(admin.TabularInline[CaseEvent, Case]):
    model = CaseEvent
    extra = 1


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["name", "country", "status", "updated_at"]
    list_filter = ["status", "country"]
    search_fields = ["name", "names__name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CaseNameInline, CaseEventInline]
