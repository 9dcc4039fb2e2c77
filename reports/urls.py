from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("campaigns/<slug:slug>/results/", views.results, name="results"),
    path("campaigns/<slug:slug>/results.<str:fmt>", views.download, name="download"),
]
