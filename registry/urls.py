from django.urls import path

from registry import views

app_name = "registry"
urlpatterns = [
    path("campaigns/<slug:slug>/write-to-someone/", views.someone, name="someone"),
    path("drives/<slug:slug>/", views.drive, name="drive"),
    path("drives/<slug:slug>/sent/", views.drive_sent, name="drive_sent"),
    path("prisoners/<slug:slug>/", views.prisoner, name="prisoner"),
    path("registry/", views.registry_list, name="list"),
    path("registry/observations/<int:pk>/", views.observation, name="observation"),
    path("registry/prisoners/<int:pk>/", views.prisoner_admin, name="prisoner_admin"),
    path("registry/prisoners/<int:pk>/clear/", views.clear, name="clear"),
]
