from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("events/photos/<int:pk>.jpg", views.photo, name="photo"),
    path("events/<int:pk>/", views.detail, name="detail"),
    path("events/<int:pk>/correct/", views.correct, name="correct"),
    path("partners/<slug:slug>/events/", views.partner_events, name="partner_events"),
    path("partners/<slug:slug>/events/new/", views.report, name="report"),
]
