from django.urls import path

from kit import views

app_name = "kit"
urlpatterns = [
    path("partners/<slug:slug>/kit/<slug:campaign>/", views.partner_kit, name="partner_kit"),
    path(
        "partners/<slug:slug>/kit/<slug:campaign>/<slug:piece>.pdf",
        views.partner_piece,
        name="partner_piece",
    ),
    path("campaigns/<slug:slug>/kit/", views.organizer_kit, name="organizer_kit"),
    path(
        "campaigns/<slug:slug>/kit/<slug:piece>.pdf", views.organizer_piece, name="organizer_piece"
    ),
]
