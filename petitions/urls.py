from django.urls import path

from petitions import views

app_name = "petitions"
urlpatterns = [
    path("campaigns/<slug:slug>/sign/", views.sign, name="sign"),
    path("campaigns/<slug:slug>/signed/", views.signed, name="signed"),
    path("signatures/confirm/<str:token>/", views.confirm, name="confirm"),
    path("campaigns/<slug:slug>/delivery/", views.delivery, name="delivery"),
    path("campaigns/<slug:slug>/delivery/freeze/", views.freeze, name="freeze"),
    path("campaigns/<slug:slug>/delivery/rebuild/", views.rebuild, name="delivery_rebuild"),
    path("campaigns/<slug:slug>/delivery/posted/", views.posted, name="delivery_posted"),
    path("campaigns/<slug:slug>/delivery/letter.pdf", views.delivery_pdf, name="delivery_pdf"),
]
