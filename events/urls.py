from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("events/photos/<int:pk>.jpg", views.photo, name="photo"),
]
