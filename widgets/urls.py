from django.urls import path

from widgets import views

app_name = "widgets"
urlpatterns = [
    path("widget/<slug:slug>.js", views.script, name="script"),
    path("widget/<slug:slug>/form", views.form, name="form"),
    path("widget/<slug:slug>/sign", views.sign, name="sign"),
    path("widget/<slug:slug>/totals", views.totals, name="totals"),
    path("campaigns/<slug:slug>/embed/", views.embed, name="embed"),
]
