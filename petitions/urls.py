from django.urls import path

from petitions import views

app_name = "petitions"
urlpatterns = [
    path("campaigns/<slug:slug>/sign/", views.sign, name="sign"),
    path("campaigns/<slug:slug>/signed/", views.signed, name="signed"),
    path("signatures/confirm/<str:token>/", views.confirm, name="confirm"),
]
