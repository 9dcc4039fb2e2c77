"""The registry in the admin: sources, uploads of a list (imported in the background, with
progress on the import's page), prisoners (corrected on their registry page) and drives."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import User
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from lantern.admin import ReadOnlyAdmin
from registry.forms import DriveAdminForm, UploadForm
from registry.models import Drive, Observation, Prisoner, Source
from registry.services import queue_registry_upload, start_drive


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = ["name", "publisher", "country", "language", "url"]
    prepopulated_fields = {"slug": ["publisher"]}


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin, admin.ModelAdmin[Observation]):
    """Imports are made by uploading a list (or `manage.py import_registry`), never edited."""

    list_display = ["source", "retrieved_at", "published_on", "rows", "state", "report"]
    list_filter = ["source", "state"]
    list_select_related = ["source"]
    change_list_template = "admin/registry/observation_changelist.html"

    @admin.display(description="What changed")
    def report(self, obj: Observation) -> SafeString:
        url = reverse("registry:observation", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, "open")

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="registry_observation_upload",
            )
        ]
        return own + super().get_urls()

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_staff:
            return HttpResponse("Organizers only.", status=403)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = queue_registry_upload(
                upload.read(),
                upload.name or "list.csv",
                source=form.cleaned_data["source"],
                retrieved_at=form.cleaned_data["retrieved_at"],
                published_on=form.cleaned_data["published_on"],
                user=request.user if isinstance(request.user, User) else None,
            )
            return redirect("registry:observation", pk=job.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload a list of prisoners",
            "form": form,
            "opts": self.model._meta,
        }
        status = 400 if form.is_bound else 200
        return TemplateResponse(request, "admin/registry/upload.html", context, status=status)


@admin.register(Prisoner)
class PrisonerAdmin(admin.ModelAdmin[Prisoner]):
    """A prisoner's registry fields are corrected on their registry page, which records the
    correction; the case (safety profile, story) is edited as any case."""

    list_display = ["case", "source", "listed", "corrected", "birth_year", "sentence", "page"]
    list_filter = ["source", "listed", "case__status"]
    list_select_related = ["case", "source"]
    search_fields = ["case__name", "case__names__name", "key"]
    readonly_fields = [f.name for f in Prisoner._meta.fields]

    @admin.display(description="Registry page")
    def page(self, obj: Prisoner) -> SafeString:
        url = reverse("registry:prisoner_admin", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, "correct")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Drive)
class DriveAdmin(admin.ModelAdmin[Drive]):
    form = DriveAdminForm
    list_display = ["title", "campaign", "closes_on", "post_by", "public_page"]
    list_select_related = ["campaign"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sources", "facilities"]

    @admin.display(description="Public page")
    def public_page(self, obj: Drive) -> SafeString:
        url = reverse("registry:drive", args=[obj.slug])
        return format_html('<a href="{}">{}</a>', url, url)

    def save_model(
        self, request: HttpRequest, obj: Drive, form: ModelForm[Drive], change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:
            start_drive(obj, user=request.user if isinstance(request.user, User) else None)
