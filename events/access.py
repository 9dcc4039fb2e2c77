"""Checked getters: the one way views fetch an event report or photo."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from events.models import EventPhoto, EventReport
from partners.access import Permission, has_permission, is_organizer


def get_public_photo(request: HttpRequest, pk: int) -> EventPhoto:
    """A photo of a published campaign's event; of a draft's only for staff, else 404."""
    photo = get_object_or_404(EventPhoto.objects.select_related("event__campaign"), pk=pk)
    if photo.event.campaign.is_public:
        return photo
    if request.user.is_authenticated and request.user.is_staff:
        return photo
    raise Http404("No such photo.")


def get_event_for_member(request: HttpRequest, pk: int) -> EventReport:
    """An event report, for organizers and the members of the partner that reported it."""
    event = get_object_or_404(
        EventReport.objects.select_related("campaign", "partner", "reported_by"), pk=pk
    )
    if is_organizer(request.user):
        return event
    if event.partner is None or not has_permission(
        request.user, Permission.VIEW_PARTNER, event.partner
    ):
        raise PermissionDenied
    return event


def get_event_for_organizer(request: HttpRequest, pk: int) -> EventReport:
    """An event report whose counts an organizer may correct; 403 for everyone else."""
    if not is_organizer(request.user):
        raise PermissionDenied
    return get_object_or_404(EventReport.objects.select_related("campaign", "partner"), pk=pk)
