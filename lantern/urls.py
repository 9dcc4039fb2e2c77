from django.contrib import admin
from django.urls import include, path

from api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("campaigns.urls")),
    path("", include("partners.urls")),
    path("", include("petitions.urls")),
    path("", include("reports.urls")),
    path("", include("events.urls")),
    path("", include("widgets.urls")),
    path("", include("correspondence.urls")),
    path("", include("mail.urls")),
    path("", include("letters.urls")),
    path("", include("privacy.urls")),
    path("", include("kit.urls")),
    path("", include("registry.urls")),
]
