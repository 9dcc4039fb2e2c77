"""Checked getters: the one way views fetch an event photo."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from events.models import EventPhoto


def get_public_photo(request: HttpRequest, pk: int) -> EventPhoto:
    """A photo of a published campaign's event; of a draft's only for staff, else 404."""
    photo = get_object_or_404(EventPhoto.objects.select_related("event__campaign"), pk=pk)
    if photo.event.campaign.is_public:
        return photo
    if request.user.is_authenticated and request.user.is_staff:
        return photo
    raise Http404("No such photo.")
