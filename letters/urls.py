from django.urls import path

from letters import views

app_name = "letters"
urlpatterns = [
    path("campaigns/<slug:slug>/write/", views.write, name="write"),
    path("campaigns/<slug:slug>/write/sent/", views.written, name="written"),
    path("letters/moderate/", views.moderate_queue, name="moderate"),
    path("letters/moderate/<int:pk>/", views.moderate_letter, name="moderate_letter"),
    path("letters/moderate/<int:pk>/approve/", views.approve, name="approve"),
    path("letters/moderate/<int:pk>/edit/", views.edit, name="edit"),
    path("letters/moderate/<int:pk>/reject/", views.reject, name="reject"),
    path("letters/translate/", views.translate_queue, name="translate"),
    path("letters/translate/<int:pk>/", views.translate_letter, name="translate_letter"),
]
