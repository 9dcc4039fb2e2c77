from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from audit.services import Action as Audit
from audit.services import record
from cases.models import Facility
from lantern.forms import PostingForm
from mail.access import (
    get_batch_for_mail_desk,
    get_facility_for_mail_desk,
    get_item_for_mail_desk,
    mail_desk_required,
    organizer_required,
)
from mail.forms import HeldLettersForm, OutcomeForm
from mail.models import MailBatch, MailItem
from mail.services import (
    MailError,
    build_batch,
    facility_outcomes,
    give_back_letters,
    hand_over_letters,
    held_in_transit,
    held_not_in_custody,
    mail_queue,
    mark_batch_posted,
    posting_deadlines,
    rebuild_batch_pdf,
    record_outcome,
)

RECENT_BATCHES = 30


@mail_desk_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    facilities = Facility.objects.filter(address_periods__isnull=False).distinct()
    batches = MailBatch.objects.select_related("facility")[:RECENT_BATCHES]
    context = {
        "facilities": facilities,
        "batches": batches,
        "held": held_in_transit(),
        "released": held_not_in_custody(),
        "deadlines": posting_deadlines(),
    }
    return render(request, "mail/desk.html", context)


@organizer_required
@require_POST
def held_letters(request: HttpRequest) -> HttpResponse:
    """Organizers: letters held after a release were handed over, or go back to the writers."""
    form = HeldLettersForm(request.POST)
    if not form.is_valid():
        messages.warning(request, str(next(iter(form.errors.values()))[0]))
        return redirect(reverse("mail:desk") + "#released")
    ids = [letter.pk for letter in form.cleaned_data["letter"]]
    if form.cleaned_data["outcome"] == HeldLettersForm.HANDED_OVER:
        n = hand_over_letters(ids, user=request.user)
        text = ngettext("%(n)s letter marked handed over.", "%(n)s letters marked handed over.", n)
    else:
        n = give_back_letters(ids, user=request.user)
        text = ngettext(
            "%(n)s letter given back to its writer.",
            "%(n)s letters given back to their writers.",
            n,
        )
    messages.success(request, text % {"n": n})
    return redirect(reverse("mail:desk") + "#released")


def _facility_page(
    request: HttpRequest, pk: int, *, status: int = 200, **extra: Any
) -> HttpResponse:
    facility = get_facility_for_mail_desk(request, pk)
    context = {"facility": facility, "queue": mail_queue(facility), **extra}
    return render(request, "mail/facility.html", context, status=status)


@mail_desk_required
@require_GET
def facility(request: HttpRequest, pk: int) -> HttpResponse:
    return _facility_page(request, pk)


@mail_desk_required
@require_POST
def new_batch(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_facility_for_mail_desk(request, pk)
    try:
        made = build_batch(target, request.user)
    except MailError as exc:
        return _facility_page(request, pk, status=409, error=str(exc))
    return redirect("mail:batch", pk=made.pk)


def _batch_page(request: HttpRequest, pk: int, *, status: int = 200, **extra: Any) -> HttpResponse:
    mail_batch = get_batch_for_mail_desk(request, pk)
    items = list(mail_batch.items.select_related("letter__case", "address").order_by("position"))
    # The page shows the letters' authors' names.
    record(
        Audit.DATA_VIEWED, actor=request.user, obj=mail_batch, records=len(items), detail="batch"
    )
    context = {
        "batch": mail_batch,
        "items": items,
        "download_url": reverse("mail:batch_pdf", args=[mail_batch.pk]),
        "posting_form": PostingForm(),
        "outcomes": MailItem.Outcome.choices,
        **extra,
    }
    return render(request, "mail/batch.html", context, status=status)


@mail_desk_required
@require_GET
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    return _batch_page(request, pk)


@mail_desk_required
@require_GET
def batch_pdf(request: HttpRequest, pk: int) -> FileResponse:
    mail_batch = get_batch_for_mail_desk(request, pk)
    if mail_batch.pdf_state != MailBatch.PdfState.READY:
        raise Http404("The PDF is not built yet.")
    return FileResponse(
        mail_batch.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"mail-batch-{mail_batch.pk}.pdf",
    )


@mail_desk_required
@require_POST
def rebuild(request: HttpRequest, pk: int) -> HttpResponse:
    mail_batch = get_batch_for_mail_desk(request, pk)
    try:
        rebuild_batch_pdf(mail_batch)
    except MailError as exc:
        return _batch_page(request, pk, status=409, error=str(exc))
    return redirect("mail:batch", pk=pk)


@mail_desk_required
@require_POST
def posted(request: HttpRequest, pk: int) -> HttpResponse:
    mail_batch = get_batch_for_mail_desk(request, pk)
    form = PostingForm(request.POST)
    if not form.is_valid():
        return _batch_page(request, pk, status=400, posting_form=form)
    try:
        mark_batch_posted(
            mail_batch,
            posted_on=form.cleaned_data["posted_on"],
            tracking_number=form.cleaned_data["tracking_number"],
            user=request.user,
        )
    except MailError as exc:
        return _batch_page(request, pk, status=409, posting_form=form, error=str(exc))
    return redirect("mail:batch", pk=pk)


@mail_desk_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_mail_desk(request, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _batch_page(request, item.batch_id, status=400, error=str(form.errors["outcome"][0]))
    try:
        record_outcome(item, MailItem.Outcome(form.cleaned_data["outcome"]), request.user)
    except MailError as exc:
        return _batch_page(request, item.batch_id, status=409, error=str(exc))
    return redirect(reverse("mail:batch", args=[item.batch_id]) + f"#item-{item.pk}")


@organizer_required
@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    return render(request, "mail/outcomes.html", {"rows": facility_outcomes()})
