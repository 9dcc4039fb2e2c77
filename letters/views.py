from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions.types import ActionType
from audit.services import Action as Audit
from audit.services import record
from campaigns.access import get_attributed_partner, get_public_campaign
from campaigns.models import Campaign
from cases.models import Case, Facility
from lantern.guard import Kind, Refused, screen_request
from lantern.guard.pages import keeps_the_form, refused_page
from letters.access import (
    get_letter_for_moderator,
    get_letter_for_translator,
    letters_for,
    moderator_required,
    translator_required,
)
from letters.forms import EditForm, RejectForm, TranslationForm, WriteForm
from letters.highlight import highlight
from letters.models import Letter, LetterTemplate
from letters.services import (
    LetterStateError,
    WritingRefused,
    accepts_letters,
    add_translation,
    approve_letter,
    edit_letter,
    facility_of,
    letters_to_translate,
    reject_letter,
    submit_letter,
    writing_refusal,
)
from letters.translation import machine_draft
from partners.models import Membership

# --- Writing ----------------------------------------------------------------------------


def _kinds(campaign: Campaign, facility: Facility | None) -> list[str]:
    kinds = []
    if ActionType.LETTER in campaign.action_types:
        kinds.append(Letter.Kind.LETTER.value)
    if ActionType.CARD in campaign.action_types and (
        facility is None or facility.postcards_allowed
    ):
        kinds.append(Letter.Kind.POSTCARD.value)
    return kinds


def _templates(case: Case, facility: Facility | None) -> list[LetterTemplate]:
    """Templates for the facility, then for its country; the reader's language first."""
    country = facility.country if facility else case.country
    scope = Q(country=country, facility__isnull=True)
    if facility is not None:
        scope |= Q(facility=facility)
    templates = list(LetterTemplate.objects.filter(scope))
    language = (get_language() or "en").split("-")[0]
    return sorted(templates, key=lambda t: (t.language != language, t.language, t.title))


def _refused(request: HttpRequest, campaign: Campaign, reason: str) -> HttpResponse:
    context = {"campaign": campaign, "reason": reason}
    return render(request, "letters/refused.html", context, status=409)


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest, slug: str) -> HttpResponse:
    # The guard first for a letter sent: size, honeypot, rate limits, proof-of-work.
    held, problem = False, ""
    if request.method == "POST":
        try:
            held = screen_request(request, Kind.LETTER, slug).held
        except Refused as refused:
            if not keeps_the_form(refused):
                back = reverse("letters:write", args=[slug])
                return refused_page(request, refused, back_url=back)
            problem = refused.message
    campaign = get_public_campaign(request, slug)
    if not accepts_letters(campaign):
        return _refused(request, campaign, _("This campaign is not taking letters now."))
    cases = list(campaign.cases.all())
    wanted = request.POST.get("case") or request.GET.get("case")
    chosen = [c for c in cases if c.slug == wanted] if wanted else cases
    if wanted and not chosen:
        raise Http404("No such person in this campaign.")
    writable = [c for c in chosen if c.may_be_written_to and c.in_custody]
    if not writable:
        reason = writing_refusal(campaign, chosen[0]) if chosen else ""
        return _refused(request, campaign, reason or _("No one in this campaign can get mail."))
    case = writable[0]
    # The partner whose link or printed QR code brought the writer (docs/KIT.md).
    partner = get_attributed_partner(
        campaign, request.POST.get("partner") or request.GET.get("partner")
    )
    address = case.current_address()
    facility = address.facility if address else None
    kinds = _kinds(campaign, facility)
    form = WriteForm(request.POST or None, kinds=kinds)
    status = 200
    if problem:
        form.is_valid()  # show what else is wrong too; nothing is stored
        status = 400
    elif request.method == "POST":
        if form.is_valid():
            try:
                letter = submit_letter(campaign, case, form.to_input(), partner=partner, held=held)
            except WritingRefused as exc:
                return _refused(request, campaign, str(exc))
            url = reverse("letters:written", args=[campaign.slug])
            return redirect(f"{url}?case={case.slug}&kind={letter.kind}")
        status = 400
    context = {
        "campaign": campaign,
        "case": case,
        "other_cases": [c for c in cases if c.may_be_written_to and c.in_custody and c != case],
        "facility": facility,
        "on_hold": case.mail_on_hold,
        "form": form,
        "templates": _templates(case, facility),
        "problem": problem,
        "attributed_partner": partner,
    }
    return render(request, "letters/write.html", context, status=status)


@require_GET
def written(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_public_campaign(request, slug)
    postcard = request.GET.get("kind") == Letter.Kind.POSTCARD
    return render(request, "letters/written.html", {"campaign": campaign, "postcard": postcard})


# --- Moderation -------------------------------------------------------------------------


@require_GET
@moderator_required
def moderate_queue(request: HttpRequest) -> HttpResponse:
    letters = (
        letters_for(request.user, Membership.Role.MODERATOR)
        .filter(status__in=Letter.IN_MODERATION)
        .select_related("case", "campaign")
        .annotate(
            finding_count=Count("findings", distinct=True),
            blocking=Count("findings", filter=Q(findings__severity="block"), distinct=True),
        )
        .order_by("created_at", "pk")
    )
    return render(request, "letters/moderate_queue.html", {"letters": letters})


def _review_page(
    request: HttpRequest,
    letter: Letter,
    *,
    edit_form: EditForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    findings = list(letter.findings.all())
    record(Audit.DATA_VIEWED, actor=request.user, obj=letter, records=1, detail="moderation page")
    context = {
        "letter": letter,
        "segments": highlight(letter.text, findings),
        "findings": findings,
        "unplaced": [f for f in findings if f.start is None],
        "facility": facility_of(letter),
        "edit_form": edit_form or EditForm(initial={"text": letter.text}),
        "reject_form": reject_form or RejectForm(),
        "can_act": letter.status in Letter.IN_MODERATION,
    }
    return render(request, "letters/moderate_letter.html", context, status=status)


@require_GET
@moderator_required
def moderate_letter(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, get_letter_for_moderator(request, pk))


def _already_handled(request: HttpRequest) -> HttpResponse:
    messages.warning(request, _("Someone else has already handled this letter."))
    return redirect("letters:moderate")


@require_POST
@moderator_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_letter_for_moderator(request, pk)
    try:
        approve_letter(letter, request.user)  # type: ignore[arg-type]  # signed in: a User
    except LetterStateError:
        return _already_handled(request)
    messages.success(request, _("Letter approved."))
    return redirect("letters:moderate")


@require_POST
@moderator_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_letter_for_moderator(request, pk)
    form = EditForm(request.POST)
    if not form.is_valid():
        return _review_page(request, letter, edit_form=form, status=400)
    try:
        edit_letter(letter, form.cleaned_data["text"], request.user)  # type: ignore[arg-type]  # signed in: a User
    except LetterStateError:
        return _already_handled(request)
    messages.success(request, _("Saved. The new text was screened again."))
    return redirect("letters:moderate_letter", pk=letter.pk)


@require_POST
@moderator_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_letter_for_moderator(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _review_page(request, letter, reject_form=form, status=400)
    try:
        reject_letter(letter, form.cleaned_data["reason"], request.user)  # type: ignore[arg-type]  # signed in: a User
    except LetterStateError:
        return _already_handled(request)
    messages.success(request, _("Letter rejected."))
    return redirect("letters:moderate")


# --- Translation ------------------------------------------------------------------------


@require_GET
@translator_required
def translate_queue(request: HttpRequest) -> HttpResponse:
    mine = set(
        letters_for(request.user, Membership.Role.TRANSLATOR)
        .filter(status=Letter.Status.APPROVED)
        .values_list("pk", flat=True)
    )
    groups: dict[tuple[str, str], list[Letter]] = defaultdict(list)
    for letter, facility in letters_to_translate():
        if letter.pk in mine:
            pair = (letter.language, ", ".join(facility.accepted_languages))
            groups[pair].append(letter)
    context = {"groups": sorted(groups.items())}
    return render(request, "letters/translate_queue.html", context)


@require_http_methods(["GET", "POST"])
@translator_required
def translate_letter(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_letter_for_translator(request, pk)
    facility = facility_of(letter)
    languages = list(facility.accepted_languages) if facility else []
    if letter.status != Letter.Status.APPROVED or not languages:
        messages.warning(request, _("This letter is not waiting for a translation."))
        return redirect("letters:translate")
    status = 200
    if request.method == "POST":
        form = TranslationForm(request.POST, languages=languages)
        if form.is_valid():
            data = form.cleaned_data
            kept_draft = bool(data["machine_draft"]) and data["text"] == data["machine_draft"]
            try:
                add_translation(
                    letter,
                    data["language"],
                    data["text"],
                    translator=request.user,  # type: ignore[arg-type]  # signed in: a User
                    machine_backend=data["machine_backend"] if kept_draft else "",
                )
            except LetterStateError:
                messages.warning(request, _("Someone else has already translated this letter."))
                return redirect("letters:translate")
            messages.success(request, _("Translation saved."))
            return redirect("letters:translate")
        status = 400
    else:
        draft = machine_draft(letter.text, letter.language, languages[0])
        initial = {"language": languages[0]}
        if draft is not None:
            initial |= {
                "text": draft.text,
                "machine_draft": draft.text,
                "machine_backend": draft.backend,
            }
        form = TranslationForm(initial=initial, languages=languages)
    context = {"letter": letter, "facility": facility, "form": form}
    return render(request, "letters/translate_letter.html", context, status=status)
