from django.contrib.auth.views import LoginView, LogoutView
from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path(
        "partners/login/",
        LoginView.as_view(template_name="partners/login.html", next_page="partners:index"),
        name="login",
    ),
    path("partners/logout/", LogoutView.as_view(next_page="partners:login"), name="logout"),
    path("partners/", views.index, name="index"),
    path("partners/<slug:slug>/", views.dashboard, name="dashboard"),
    path("partners/<slug:slug>/actions/", views.actions, name="actions"),
    path("partners/<slug:slug>/supporters/", views.supporters, name="supporters"),
    path("partners/<slug:slug>/sealing.py", views.sealing_tool, name="sealing_tool"),
    path(
        "partners/<slug:slug>/exports/actions.<str:fmt>",
        views.export_actions,
        name="export_actions",
    ),
    path(
        "partners/<slug:slug>/exports/supporters.<str:fmt>",
        views.export_supporters,
        name="export_supporters",
    ),
    path("partners/<slug:slug>/exports/osdi.json", views.export_osdi, name="export_osdi"),
    path("partners/<slug:slug>/tokens/", views.tokens, name="tokens"),
    path("partners/<slug:slug>/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("partners/<slug:slug>/webhooks/", views.webhooks, name="webhooks"),
    path(
        "partners/<slug:slug>/webhooks/<int:pk>/remove/",
        views.remove_webhook,
        name="remove_webhook",
    ),
]
