"""Who may see what in the registry, and the checked getters its pages use.

The registry's own pages (the list, an import's changes, a prisoner's corrections) are for
organizers (staff). The public pages show a drive, a person's page, and the letter form.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign
from cases.models import Case
from mail.access import is_organizer, organizer_required
from registry.models import Drive, Observation, Prisoner

__all__ = [
    "get_observation_for_organizer",
    "get_prisoner_for_organizer",
    "get_public_case",
    "get_public_drive",
    "organizer_required",
]


def get_prisoner_for_organizer(request: HttpRequest, pk: int) -> Prisoner:
    if not is_organizer(request.user):
        raise PermissionDenied
    return get_object_or_404(Prisoner.objects.select_related("case", "source"), pk=pk)


def get_observation_for_organizer(request: HttpRequest, pk: int) -> Observation:
    if not is_organizer(request.user):
        raise PermissionDenied
    return get_object_or_404(Observation.objects.select_related("source"), pk=pk)


def get_public_drive(request: HttpRequest, slug: str) -> Drive:
    """A drive of a published campaign; a draft campaign's only for staff previewing it."""
    drive = get_object_or_404(Drive.objects.select_related("campaign"), slug=slug)
    if drive.campaign.is_public or is_organizer(request.user):
        return drive
    raise Http404("No such card drive.")


def get_public_case(request: HttpRequest, slug: str) -> Case:
    """A person's public page: someone on a registry list or in a published campaign, whose
    safety profile lets them be named in public (staff see every case)."""
    case = get_object_or_404(Case.objects.select_related("prisoner__source"), slug=slug)
    if is_organizer(request.user):
        return case
    public = Q(prisoner__isnull=False) | Q(
        campaigns__status__in=[Campaign.Status.LIVE, Campaign.Status.CLOSED]
    )
    shown = Case.objects.filter(public, pk=case.pk, may_be_published=True).exists()
    if not shown:
        raise Http404("No such person.")
    return case
