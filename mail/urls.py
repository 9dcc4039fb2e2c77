from django.urls import path

from mail import views

app_name = "mail"
urlpatterns = [
    path("mail/", views.desk, name="desk"),
    path("mail/facilities/<int:pk>/", views.facility, name="facility"),
    path("mail/facilities/<int:pk>/batch/", views.new_batch, name="new_batch"),
    path("mail/batches/<int:pk>/", views.batch, name="batch"),
    path("mail/batches/<int:pk>/batch.pdf", views.batch_pdf, name="batch_pdf"),
    path("mail/batches/<int:pk>/rebuild/", views.rebuild, name="rebuild"),
    path("mail/batches/<int:pk>/posted/", views.posted, name="posted"),
    path("mail/items/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("mail/outcomes/", views.outcomes, name="outcomes"),
    path("mail/held/", views.held_letters, name="held_letters"),
]
