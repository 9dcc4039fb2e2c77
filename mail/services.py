"""The mail desk's work: build a batch per facility, post it, record what became of each letter.

Which letters go into a facility's next batch (`mail_queue`):

- approved letters (and translated ones) whose case's current address is at the facility,
  not yet in a batch;
- a case in transit holds all its letters: they are shown as held, never batched;
- a letter in a language the facility does not accept waits for its translation;
- a case's `max_letters_per_batch` caps how many of its letters one batch takes (the oldest
  first); the rest wait for the next batch.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import AddressPeriod, Case, Facility
from lantern import pdfjobs
from lantern.background import enqueue_with_writes
from letters.models import Letter
from mail.models import MailBatch, MailItem
from mail.tasks import build_batch_pdf


class MailError(Exception):
    """A mail desk step refused; the message is for the mail desk."""


@dataclass
class MailQueue:
    """A facility's letters waiting for the post, sorted by why they wait."""

    facility: Facility
    ready: list[Letter] = field(default_factory=list)
    held_in_transit: list[Letter] = field(default_factory=list)
    awaiting_translation: list[Letter] = field(default_factory=list)
    over_cap: list[Letter] = field(default_factory=list)
    addresses: dict[int, AddressPeriod] = field(default_factory=dict)  # case id -> address


def current_addresses(facility: Facility, on: date | None = None) -> dict[int, AddressPeriod]:
    """The cases whose address on `on` (today) is at this facility, with that address."""
    day = on or timezone.localdate()
    periods = (
        AddressPeriod.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("case", "facility")
        .order_by("case_id", "-valid_from")
    )
    current: dict[int, AddressPeriod] = {}
    for period in periods:
        current.setdefault(period.case_id, period)  # the latest period that covers the day
    return {case: p for case, p in current.items() if p.facility_id == facility.pk}


def needs_translation(letter: Letter, facility: Facility) -> bool:
    """An approved letter in a language the facility does not accept waits for a translator."""
    if letter.status == Letter.Status.TRANSLATED:
        return False
    return bool(letter.language) and not facility.accepts_language(letter.language)


def mail_queue(facility: Facility, *, on: date | None = None) -> MailQueue:
    addresses = current_addresses(facility, on)
    queue = MailQueue(facility, addresses=addresses)
    letters = (
        Letter.objects.filter(
            case_id__in=addresses, status__in=Letter.READY_FOR_MAIL, mail_item__isnull=True
        )
        .select_related("case")
        .order_by("created_at", "pk")
    )
    taken: dict[int, int] = defaultdict(int)
    for letter in letters:
        case = letter.case
        if case.mail_on_hold:
            queue.held_in_transit.append(letter)
        elif needs_translation(letter, facility):
            queue.awaiting_translation.append(letter)
        elif case.max_letters_per_batch is not None and (
            taken[case.pk] >= case.max_letters_per_batch
        ):
            queue.over_cap.append(letter)
        else:
            taken[case.pk] += 1
            queue.ready.append(letter)
    return queue


def held_in_transit() -> list[Letter]:
    """Every letter ready for the post whose case is being moved, wherever its last address."""
    return list(
        Letter.objects.filter(
            status__in=Letter.READY_FOR_MAIL,
            mail_item__isnull=True,
            case__status=Case.Status.IN_TRANSIT,
        )
        .select_related("case")
        .order_by("case__name", "created_at", "pk")
    )


def build_batch(facility: Facility, user: User | AnonymousUser | None) -> MailBatch:
    """Put the facility's ready letters into a new batch and start building its PDF."""
    with transaction.atomic():
        # Lock the facility row: two desks building at once make one batch, not two halves.
        Facility.objects.select_for_update().filter(pk=facility.pk).first()
        queue = mail_queue(facility)
        if not queue.ready:
            raise MailError(_("No letter is ready for this facility."))
        batch = MailBatch.objects.create(
            facility=facility,
            created_by=user if isinstance(user, User) else None,
            pdf_state=MailBatch.PdfState.QUEUED,
        )
        ordered = sorted(queue.ready, key=lambda letter: (letter.case.name, letter.pk))
        MailItem.objects.bulk_create(
            MailItem(
                batch=batch, letter=letter, address=queue.addresses[letter.case_id], position=n
            )
            for n, letter in enumerate(ordered, start=1)
        )
        Letter.objects.filter(pk__in=[letter.pk for letter in ordered]).update(
            status=Letter.Status.BATCHED, updated_at=timezone.now()
        )
        enqueue_with_writes(build_batch_pdf, batch.pk)
    return batch


def rebuild_batch_pdf(batch: MailBatch) -> None:
    if batch.pdf_in_progress:
        raise MailError(_("The PDF is being built already."))
    with transaction.atomic():
        pdfjobs.queue(batch)
        enqueue_with_writes(build_batch_pdf, batch.pk)


def mark_batch_posted(
    batch: MailBatch,
    *,
    posted_on: date,
    tracking_number: str,
    user: User | AnonymousUser | None,
) -> None:
    """The batch went into the post: its letters become posted."""
    if batch.is_posted:
        raise MailError(_("This batch is already posted."))
    if batch.pdf_state != MailBatch.PdfState.READY:
        raise MailError(_("Build and print the PDF before posting the batch."))
    if posted_on > timezone.localdate():
        raise MailError(_("The posting date is in the future."))
    if posted_on < batch.created_at.date():
        raise MailError(_("The batch cannot be posted before it was made."))
    with transaction.atomic():
        batch.posted_on = posted_on
        batch.tracking_number = tracking_number.strip()
        batch.posted_by = user if isinstance(user, User) else None
        batch.save(update_fields=["posted_on", "tracking_number", "posted_by"])
        Letter.objects.filter(mail_item__batch=batch, status=Letter.Status.BATCHED).update(
            status=Letter.Status.POSTED, updated_at=timezone.now()
        )


def record_outcome(
    item: MailItem, outcome: MailItem.Outcome, user: User | AnonymousUser | None
) -> None:
    """A posted letter was delivered, came back, or did not pass censorship (correctable)."""
    if not item.batch.is_posted:
        raise MailError(_("The batch has not been posted yet."))
    with transaction.atomic():
        item.outcome = outcome
        item.outcome_at = timezone.now()
        item.outcome_by = user if isinstance(user, User) else None
        item.save(update_fields=["outcome", "outcome_at", "outcome_by"])
        Letter.objects.filter(pk=item.letter_id).update(
            status=outcome.value, updated_at=timezone.now()
        )


@dataclass(frozen=True)
class FacilityOutcomes:
    facility: Facility
    posted: int
    delivered: int
    returned: int
    censored: int

    @property
    def unknown(self) -> int:
        return self.posted - self.delivered - self.returned - self.censored

    @property
    def censored_percent(self) -> int:
        known = self.delivered + self.returned + self.censored
        return round(100 * self.censored / known) if known else 0


def facility_outcomes() -> list[FacilityOutcomes]:
    """Per facility, what became of the letters posted there (one query), most censored first."""
    facilities = Facility.objects.annotate(
        posted=Count("mail_batches__items", filter=Q(mail_batches__posted_on__isnull=False)),
        delivered=Count(
            "mail_batches__items", filter=Q(mail_batches__items__outcome=MailItem.Outcome.DELIVERED)
        ),
        returned=Count(
            "mail_batches__items", filter=Q(mail_batches__items__outcome=MailItem.Outcome.RETURNED)
        ),
        censored=Count(
            "mail_batches__items", filter=Q(mail_batches__items__outcome=MailItem.Outcome.CENSORED)
        ),
    ).filter(posted__gt=0)
    rows = [FacilityOutcomes(f, f.posted, f.delivered, f.returned, f.censored) for f in facilities]
    return sorted(rows, key=lambda row: (-row.censored_percent, row.facility.name))
