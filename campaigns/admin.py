from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from campaigns.models import Campaign, CampaignTranslation
from campaigns.services import close_campaign, publish_campaign


class CampaignTranslationInline(admin.StackedInline[CampaignTranslation, Campaign]):
    model = CampaignTranslation
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    inlines = [CampaignTranslationInline]
    list_display = ["title", "slug", "status", "starts_on", "ends_on", "requires_confirmation"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["cases", "partners"]
    readonly_fields = ["status", "published_at"]
    actions = ["publish", "close"]

    @admin.action(description="Publish selected draft campaigns")
    def publish(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._apply(request, queryset, publish_campaign, "published")

    @admin.action(description="Close selected live campaigns")
    def close(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._apply(request, queryset, close_campaign, "closed")

    def _apply(self, request: HttpRequest, queryset: QuerySet[Campaign], change, verb: str) -> None:  # type: ignore[no-untyped-def]
        for campaign in queryset:
            try:
                change(campaign)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, f"{campaign} {verb}.", messages.SUCCESS)
