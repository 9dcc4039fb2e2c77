from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from actions.types import ActionType
from campaigns.models import Campaign
from events.access import get_event_for_member, get_event_for_organizer, get_public_photo
from events.forms import CorrectionForm, EventReportForm, PhotoFormSet, clean_photos
from events.models import EventReport
from events.services import EventRejected, correct_event, event_counts, report_event
from partners.access import (
    Permission,
    campaigns_for_partner,
    is_organizer,
    partner_permission_required,
    permissions_in,
)
from partners.models import Partner


@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A gallery photo, served by Lantern so that photos of draft campaigns stay private."""
    image = get_public_photo(request, pk).image
    response = FileResponse(image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- Event reports: a group reports, members read, an organizer corrects ------------------


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the decorators let only signed-in users here
    return user


def _add_problems(form: forms.Form, exc: EventRejected) -> None:
    for name, problems in exc.problems.items():
        for message in problems:
            form.add_error(name if name in form.fields else None, message)


def _labelled(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(label), counts[value]) for value, label in ActionType.choices if value in counts]


@require_GET
@partner_permission_required(Permission.VIEW_PARTNER)
def partner_events(request: HttpRequest, partner: Partner) -> HttpResponse:
    """`/partners/<slug>/events/`: the partner's event reports, newest first."""
    events = (
        EventReport.objects.filter(partner=partner)
        .select_related("campaign")
        .annotate(photo_count=Count("photos"))
        .order_by("-happened_at", "-pk")
    )
    context = {
        "partner": partner,
        "can": {str(p) for p in permissions_in(request.user, partner)},
        "events": events,
    }
    return render(request, "events/partner_events.html", context)


@require_http_methods(["GET", "POST"])
@partner_permission_required(Permission.REPORT_EVENTS)
def report(request: HttpRequest, partner: Partner) -> HttpResponse:
    """`/partners/<slug>/events/new/`: a group reports what it did, with photos."""
    campaigns = campaigns_for_partner(request.user, partner).filter(
        status__in=[Campaign.Status.LIVE, Campaign.Status.CLOSED]
    )
    status = 200
    if request.method == "POST":
        form = EventReportForm(request.POST, campaigns=campaigns)
        photos = PhotoFormSet(request.POST, request.FILES, prefix="photos")
        if form.is_valid() and photos.is_valid():
            data = form.to_input(clean_photos(photos))
            try:
                event = report_event(partner, data, reported_by=_member(request))
            except EventRejected as exc:
                _add_problems(form, exc)
            else:
                messages.success(request, _("Thank you: the event is reported and counted."))
                return redirect("events:detail", pk=event.pk)
        status = 400
    else:
        only = list(campaigns[:2])
        initial = {"country": partner.country, "campaign": only[0] if len(only) == 1 else None}
        form = EventReportForm(campaigns=campaigns, initial=initial)
        photos = PhotoFormSet(prefix="photos")
    context = {
        "partner": partner,
        "can": {str(p) for p in permissions_in(request.user, partner)},
        "form": form,
        "photos": photos,
    }
    return render(request, "events/report.html", context, status=status)


@require_GET
@login_required(login_url="partners:login")  # members sign in there, as in partners.access
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """`/events/<pk>/`: the report, its counts as the ledger holds them, photos, corrections."""
    event = get_event_for_member(request, pk)
    corrections = [
        (
            correction,
            [
                (
                    str(label),
                    correction.old_counts.get(value, 0),
                    correction.new_counts.get(value, 0),
                )
                for value, label in ActionType.choices
                if correction.old_counts.get(value, 0) != correction.new_counts.get(value, 0)
            ],
        )
        for correction in event.corrections.select_related("corrected_by")
    ]
    context = {
        "event": event,
        "counts": _labelled(event_counts(event)),
        "photos": event.photos.all(),
        "corrections": corrections,
        "can_correct": is_organizer(request.user),
    }
    return render(request, "events/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required(login_url="partners:login")  # members sign in there, as in partners.access
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """`/events/<pk>/correct/`: an organizer sets the right figures, saying why."""
    event = get_event_for_organizer(request, pk)
    counts = event_counts(event)
    form = CorrectionForm(request.POST or None, counts=counts, people=event.people)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                correct_event(
                    event,
                    form.counts(),
                    people=form.cleaned_data["people"],
                    reason=form.cleaned_data["reason"],
                    corrected_by=_member(request),
                )
            except EventRejected as exc:
                _add_problems(form, exc)
            else:
                messages.success(request, _("The correction is recorded."))
                return redirect("events:detail", pk=event.pk)
        status = 400
    context = {"event": event, "form": form, "counts": _labelled(counts)}
    return render(request, "events/correct.html", context, status=status)
