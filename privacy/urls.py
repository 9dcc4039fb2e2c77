from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.request_form, name="request"),
    path("privacy/sent/", views.sent, name="sent"),
    path("privacy/confirm/<str:token>/", views.confirm, name="confirm"),
]
