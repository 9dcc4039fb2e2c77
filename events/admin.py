from django.contrib import admin

from events.forms import EventPhotoForm
from events.models import EventPhoto, EventReport


class EventPhotoInline(admin.TabularInline[EventPhoto, EventReport]):
    model = EventPhoto
    form = EventPhotoForm
    extra = 1
    fields = ["image", "caption", "order", "width", "height"]
    readonly_fields = ["width", "height"]


@admin.register(EventReport)
class EventReportAdmin(admin.ModelAdmin[EventReport]):
    list_display = ["title", "campaign", "partner", "city", "country", "happened_at", "people"]
    list_filter = ["campaign", "country"]
    search_fields = ["title", "city", "note"]
    date_hierarchy = "happened_at"
    inlines = [EventPhotoInline]
