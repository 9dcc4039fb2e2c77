from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.access import get_public_campaign
from campaigns.models import Campaign
from cases.models import AddressPeriod, Case, Facility
from cases.translations import localize_cases
from lantern.guard import Kind, Refused, screen_request
from lantern.guard.pages import keeps_the_form, refused_page
from letters.models import Letter
from letters.services import accepts_letters, campaign_refusal
from registry import spread
from registry.access import (
    get_observation_for_organizer,
    get_prisoner_for_organizer,
    get_public_case,
    get_public_drive,
    organizer_required,
)
from registry.forms import (
    PRISONER_FIELD_LABELS,
    CardForm,
    CorrectionForm,
    CountryStepForm,
    RegistryFilterForm,
    SomeoneForm,
)
from registry.models import Change, Drive, Observation, Prisoner, Source
from registry.refresh import current_periods, values_now
from registry.services import (
    CorrectionRefused,
    NoOneToWrite,
    clear_correction,
    correct_prisoner,
    drive_counts,
    drive_is_open,
    send_card,
    write_to_someone,
)

OFFER_SALT = "registry.offer"
CARD_SALT = "registry.card"
OFFER_MAX_AGE = 2 * 24 * 3600  # an offer left open in a tab for a weekend still works
PAGE_SIZE = 100

# --- Write to someone who gets few letters -------------------------------------------------


def _someone_page(
    request: HttpRequest,
    campaign: Campaign,
    candidate: spread.Candidate,
    form: SomeoneForm,
    *,
    pool: int,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    case = candidate.case
    localize_cases([case])
    country = form["author_country"].value() or ""
    another = urlencode({"country": country, "not": case.pk})
    context = {
        "campaign": campaign,
        "case": case,
        "names": [n for n in case.names.all() if n.name != case.name],
        "facility": candidate.period.facility,
        "letters": candidate.letters,
        "pool": pool,
        "form": form,
        "problem": problem,
        "days": settings.FAIR_SPREAD_DAYS,
        "another_url": reverse("registry:someone", args=[campaign.slug]) + "?" + another,
    }
    return render(request, "registry/someone.html", context, status=status)


def _kinds(campaign: Campaign) -> list[str]:
    return [
        k for k in (Letter.Kind.LETTER, Letter.Kind.POSTCARD) if not campaign_refusal(campaign, k)
    ]


@require_http_methods(["GET", "POST"])
def someone(request: HttpRequest, slug: str) -> HttpResponse:
    """Write to someone who gets few letters: the writer's country, then an offer and the form."""
    campaign = get_public_campaign(request, slug)
    if not accepts_letters(campaign):
        context = {"campaign": campaign, "reason": _("This campaign is not taking letters now.")}
        return render(request, "letters/refused.html", context, status=409)
    if request.method == "POST":
        try:  # the guard first: size, honeypot, rate limits, proof-of-work
            admission = screen_request(request, Kind.LETTER, campaign.slug)
        except Refused as refused:
            if not keeps_the_form(refused):
                back = reverse("registry:someone", args=[campaign.slug])
                return refused_page(request, refused, back_url=back)
            return _someone_post(request, campaign, problem=refused.message)
        return _someone_post(request, campaign, held=admission.held)
    step = CountryStepForm(request.GET if "country" in request.GET else None)
    if not step.is_valid():
        status = 400 if step.is_bound else 200
        context = {"campaign": campaign, "form": step}
        return render(request, "registry/someone_country.html", context, status=status)
    country = step.cleaned_data["country"]
    writer = spread.Writer(country, None, Letter.Kind.LETTER)
    not_case = request.GET.get("not", "")
    candidate, pool = spread.offer(
        campaign, writer, not_case=int(not_case) if not_case.isdigit() else None
    )
    if candidate is None:
        return render(request, "registry/no_one.html", {"campaign": campaign}, status=200)
    offer = signing.dumps({"case": candidate.case.pk, "campaign": campaign.pk}, salt=OFFER_SALT)
    form = SomeoneForm(kinds=_kinds(campaign), initial={"author_country": country, "offer": offer})
    return _someone_page(request, campaign, candidate, form, pool=pool)


def _someone_post(
    request: HttpRequest, campaign: Campaign, *, held: bool = False, problem: str = ""
) -> HttpResponse:
    """The letter to the person offered; with `problem` (the guard refused the form), the
    page again with what was typed, and nothing stored."""
    form = SomeoneForm(request.POST, kinds=_kinds(campaign))
    try:
        offered = signing.loads(
            request.POST.get("offer", ""), salt=OFFER_SALT, max_age=OFFER_MAX_AGE
        )
        case = Case.objects.get(pk=offered["case"], prisoner__isnull=False)
        if offered["campaign"] != campaign.pk:
            raise ValueError("an offer of another campaign")
    except (signing.BadSignature, Case.DoesNotExist, KeyError, TypeError, ValueError):
        url = reverse("registry:someone", args=[campaign.slug])
        messages.warning(
            request, _("That offer has expired: here is a new one. Your text is below.")
        )
        return redirect(url)
    writer = spread.Writer(form.data.get("author_country") or None, None, Letter.Kind.LETTER)
    pool = spread.pool(countries=spread.campaign_countries(campaign))
    shown = spread.candidates(pool.filter(pk=case.pk), spread.Writer(None, None), cap=False)
    if not shown:  # released or moved meanwhile: a new offer, keeping the text
        candidate, size = spread.offer(campaign, writer)
        if candidate is None:
            return render(request, "registry/no_one.html", {"campaign": campaign}, status=409)
        data = request.POST.copy()
        data["offer"] = signing.dumps(
            {"case": candidate.case.pk, "campaign": campaign.pk}, salt=OFFER_SALT
        )
        problem = _("The person offered before cannot get letters now; here is someone else.")
        return _someone_page(
            request,
            campaign,
            candidate,
            SomeoneForm(data, kinds=_kinds(campaign)),
            pool=size,
            status=409,
            problem=problem,
        )
    candidate = shown[0]
    if not form.is_valid() or problem:
        return _someone_page(
            request, campaign, candidate, form, pool=pool.count(), status=400, problem=problem
        )
    try:
        letter = write_to_someone(campaign, case, form.to_input(), held=held)
    except NoOneToWrite as exc:
        return _someone_page(
            request, campaign, candidate, form, pool=pool.count(), status=409, problem=str(exc)
        )
    url = reverse("letters:written", args=[campaign.slug])
    return redirect(f"{url}?{urlencode({'kind': letter.kind})}")


# --- Card drives ---------------------------------------------------------------------------


def _drive_page(
    request: HttpRequest,
    drive: Drive,
    form: CardForm | None,
    *,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    context = {
        "drive": drive,
        "campaign": drive.campaign,
        "counts": drive_counts(drive),
        "open": drive_is_open(drive),
        "form": form,
        "problem": problem,
        "limit": drive.max_chars,
    }
    return render(request, "registry/drive.html", context, status=status)


@require_http_methods(["GET", "POST"])
def drive(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_public_drive(request, slug)
    is_open = drive_is_open(found)
    form = CardForm(request.POST or None, max_chars=found.max_chars) if is_open else None
    if request.method == "GET" or form is None:
        return _drive_page(request, found, form, status=200 if request.method == "GET" else 409)
    try:  # the guard first: size, honeypot, rate limits, proof-of-work
        held = screen_request(request, Kind.LETTER, found.campaign.slug).held
    except Refused as refused:
        if not keeps_the_form(refused):
            back = reverse("registry:drive", args=[found.slug])
            return refused_page(request, refused, back_url=back)
        form.is_valid()  # show what else is wrong too; nothing is stored
        return _drive_page(request, found, form, status=400, problem=refused.message)
    if not form.is_valid():
        return _drive_page(request, found, form, status=400)
    try:
        card = send_card(found, form.to_input(), held=held)
    except NoOneToWrite as exc:
        return _drive_page(request, found, form, status=409, problem=str(exc))
    token = signing.dumps(card.pk, salt=CARD_SALT)
    return redirect(
        reverse("registry:drive_sent", args=[found.slug]) + "?" + urlencode({"card": token})
    )


@require_GET
def drive_sent(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_public_drive(request, slug)
    card = None
    try:
        pk = signing.loads(request.GET.get("card", ""), salt=CARD_SALT, max_age=OFFER_MAX_AGE)
        card = Letter.objects.select_related("case").filter(pk=pk, assignment__drive=found).first()
    except signing.BadSignature:
        card = None
    context = {"drive": found, "campaign": found.campaign, "card": card}
    return render(request, "registry/drive_sent.html", context)


# --- A person's public page ----------------------------------------------------------------


@require_GET
def prisoner(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_public_case(request, slug)
    localize_cases([case])
    period = case.current_address() if case.in_custody else None
    campaigns = [
        c
        for c in case.campaigns.filter(status=Campaign.Status.LIVE).order_by("-starts_on")
        if accepts_letters(c)
    ]
    entry = getattr(case, "prisoner", None)  # None: not on a registry list
    context = {
        "case": case,
        "entry": entry,
        "names": [n for n in case.names.all() if n.name != case.name],
        "events": list(case.events.all()),
        "facility": period.facility if period else None,
        "campaigns": campaigns,
        "writable": case.may_be_written_to and case.in_custody,
    }
    return render(request, "registry/prisoner.html", context)


# --- Organizers: the registry, an import, a prisoner --------------------------------------


@organizer_required
@require_GET
def registry_list(request: HttpRequest) -> HttpResponse:
    """Every registry prisoner, filtered; with their letters lately and what waits for them."""
    prisoners = Prisoner.objects.select_related("case", "source").order_by("case__name", "pk")
    given = RegistryFilterForm(request.GET).filters()
    query = given.get("q", "").strip()
    if query:
        prisoners = prisoners.filter(
            Q(case__name__icontains=query) | Q(case__names__name__icontains=query)
        ).distinct()
    for key, field in (
        ("status", "case__status"),
        ("country", "case__country"),
        ("source", "source__slug"),
    ):
        if key in given:
            prisoners = prisoners.filter(**{field: given[key]})
    if "listed" in given:
        prisoners = prisoners.filter(listed=given["listed"] == "yes")
    if given.get("corrected") == "yes":
        prisoners = prisoners.exclude(corrected=[])
    if "facility" in given:
        today = timezone.localdate()
        at = AddressPeriod.objects.filter(
            facility_id=given["facility"], valid_from__lte=today
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        prisoners = prisoners.filter(case_id__in=at.values("case_id"))
    page = Paginator(prisoners, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    case_ids = [p.case_id for p in rows]
    periods = current_periods(case_ids, timezone.localdate())
    lately = spread.letters_lately(case_ids)
    waiting = spread.unposted(case_ids)
    context = {
        "page": page,
        "rows": [
            (p, periods.get(p.case_id), lately.get(p.case_id, 0), waiting.get(p.case_id, 0))
            for p in rows
        ],
        "sources": Source.objects.all(),
        "statuses": Case.Status.choices,
        "facilities": Facility.objects.filter(address_periods__isnull=False)
        .distinct()
        .order_by("name"),
        "observations": Observation.objects.select_related("source")[:10],
        "filters": {
            k: request.GET.get(k, "")
            for k in ("q", "status", "country", "source", "listed", "corrected", "facility")
        },
        "query_string": urlencode(
            [(k, str(v)) for k, v in request.GET.items() if k != "page" and v]
        ),
        "days": settings.FAIR_SPREAD_DAYS,
    }
    return render(request, "registry/list.html", context)


@organizer_required
@require_GET
def observation(request: HttpRequest, pk: int) -> HttpResponse:
    """An import: its progress while it runs, then what changed, or its bad rows."""
    found = get_observation_for_organizer(request, pk)
    changes = list(
        found.changes.select_related("prisoner__case").order_by(
            "kind", "prisoner__case__name", "pk"
        )
    )
    groups: dict[str, list[tuple[Change, str]]] = {}
    for change in changes:
        label = str(PRISONER_FIELD_LABELS.get(change.field, change.field))
        groups.setdefault(change.kind, []).append((change, label))
    order = [kind for kind in Change.Kind.values if kind in groups]
    previous = (
        Observation.objects.filter(
            source=found.source, state=Observation.State.DONE, retrieved_at__lt=found.retrieved_at
        )
        .order_by("-retrieved_at")
        .first()
    )
    context = {
        "observation": found,
        "groups": [(Change.Kind(kind), groups[kind]) for kind in order],
        "previous": previous,
    }
    return render(request, "registry/observation.html", context)


def _prisoner_page(
    request: HttpRequest, entry: Prisoner, form: CorrectionForm | None = None, *, status: int = 200
) -> HttpResponse:
    values = values_now(entry)
    context: dict[str, Any] = {
        "entry": entry,
        "case": entry.case,
        "form": form or CorrectionForm(initial=CorrectionForm.initial_from(values)),
        "corrected": [(name, PRISONER_FIELD_LABELS[name]) for name in entry.corrected],
        "corrections": entry.corrections.select_related("corrected_by")[:20],
        "disagreements": entry.changes.filter(
            kind=Change.Kind.DISAGREES, observation=entry.last_seen
        ),
        "changes": entry.changes.select_related("observation").order_by(
            "-observation__retrieved_at", "pk"
        )[:30],
        "labels": PRISONER_FIELD_LABELS,
    }
    return render(request, "registry/prisoner_admin.html", context, status=status)


@organizer_required
@require_http_methods(["GET", "POST"])
def prisoner_admin(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_prisoner_for_organizer(request, pk)
    if request.method == "GET":
        return _prisoner_page(request, entry)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _prisoner_page(request, entry, form, status=400)
    try:
        user = request.user if isinstance(request.user, User) else None
        changed = correct_prisoner(entry, form.values(), user=user, note=form.cleaned_data["note"])
    except CorrectionRefused as exc:
        form.add_error(None, str(exc))
        return _prisoner_page(request, entry, form, status=409)
    if changed:
        labels = ", ".join(str(PRISONER_FIELD_LABELS[name]) for name in changed)
        messages.success(
            request, _("Corrected: %(fields)s. Refreshes keep these values.") % {"fields": labels}
        )
    else:
        messages.info(request, _("Nothing changed."))
    return redirect("registry:prisoner_admin", pk=entry.pk)


@organizer_required
@require_POST
def clear(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_prisoner_for_organizer(request, pk)
    field_name = request.POST.get("field", "")
    if field_name in Prisoner.FIELDS:
        clear_correction(
            entry, field_name, user=request.user if isinstance(request.user, User) else None
        )
        messages.success(request, _("The next refresh may write this field again."))
    return redirect("registry:prisoner_admin", pk=entry.pk)
