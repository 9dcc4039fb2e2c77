"""The mail desk's work: build a batch per facility, post it, record what became of each letter.

Which letters go into a facility's next batch (`mail_queue`):

- approved letters (and translated ones) whose case's current address is at the facility,
  not yet in a batch;
- a case in transit holds all its letters: they are shown as held, never batched;
- a case released (or dead) holds them too, until an organizer marks them handed over in
  person or given back to their writers (`hand_over_letters`, `give_back_letters`);
- a letter in a language the facility does not accept waits for its translation;
- a case's `max_letters_per_batch` caps how many of its letters one batch takes (those with
  the earliest posting date first, a card drive's, then the oldest); the rest wait for the
  next batch.

When a case moves (a new address period) or leaves prison, `reroute_unposted` takes its
letters out of the batches not yet posted: they go into the new facility's queue, or wait.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action as Audit
from audit.services import record
from cases.models import AddressPeriod, Case, Facility
from lantern import pdfjobs
from lantern.background import enqueue_with_writes
from letters.models import Letter
from mail.models import MailBatch, MailItem
from mail.tasks import build_batch_pdf, send_given_back_email
from privacy.models import TransientAddress
from privacy.services import forget_addresses

AUTHOR = TransientAddress.Purpose.LETTER_AUTHOR


class MailError(Exception):
    """A mail desk step refused; the message is for the mail desk."""


@dataclass
class MailQueue:
    """A facility's letters waiting for the post, sorted by why they wait."""

    facility: Facility
    ready: list[Letter] = field(default_factory=list)
    held_in_transit: list[Letter] = field(default_factory=list)
    held_not_in_custody: list[Letter] = field(default_factory=list)  # released or dead
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
        # A card drive's letters, with a posting date, go first when a cap holds some back.
        .order_by(F("post_by").asc(nulls_last=True), "created_at", "pk")
    )
    taken: dict[int, int] = defaultdict(int)
    for letter in letters:
        case = letter.case
        if not case.in_custody:
            queue.held_not_in_custody.append(letter)
        elif case.mail_on_hold:
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


def held_not_in_custody() -> list[Letter]:
    """Every letter ready for the post whose person was released or died: never posted to a
    prison; an organizer hands them over or gives them back."""
    return list(
        Letter.objects.filter(
            status__in=Letter.READY_FOR_MAIL,
            mail_item__isnull=True,
            case__status__in=Case.NOT_IN_CUSTODY,
        )
        .select_related("case")
        .order_by("case__name", "created_at", "pk")
    )


def _held_for_organizer(letter_ids: Iterable[int]) -> list[int]:
    return list(
        Letter.objects.filter(
            pk__in=list(letter_ids),
            status__in=Letter.READY_FOR_MAIL,
            mail_item__isnull=True,
            case__status__in=Case.NOT_IN_CUSTODY,
        ).values_list("pk", flat=True)
    )


def hand_over_letters(
    letter_ids: Iterable[int], *, user: User | AnonymousUser | None = None
) -> int:
    """Letters held after a release were given to the person in their hands. Only held
    letters change (the others were handled meanwhile); returns how many."""
    with transaction.atomic():
        held = _held_for_organizer(letter_ids)
        forget_addresses(AUTHOR, held)  # nothing more will be sent to the writers
        changed = Letter.objects.filter(pk__in=held).update(
            status=Letter.Status.HANDED_OVER, updated_at=timezone.now()
        )
        record(Audit.LETTERS_HANDED_OVER, actor=user, records=changed)
    return changed


def give_back_letters(
    letter_ids: Iterable[int], *, user: User | AnonymousUser | None = None
) -> int:
    """Letters held after a release go back to their writers: each writer who left an
    address is told, in their language, and invited to write to someone else."""
    with transaction.atomic():
        held = _held_for_organizer(letter_ids)
        changed = Letter.objects.filter(pk__in=held).update(
            status=Letter.Status.GIVEN_BACK, updated_at=timezone.now()
        )
        to_tell = list(
            TransientAddress.objects.filter(
                purpose=AUTHOR, object_id__in=held, expires_at__gt=timezone.now()
            ).values_list("object_id", flat=True)
        )
        for pk in to_tell:
            enqueue_with_writes(send_given_back_email, pk)
        record(Audit.LETTERS_GIVEN_BACK, actor=user, records=changed)
    return changed


@dataclass(frozen=True)
class Reroute:
    """What `reroute_unposted` did: letters out of unposted batches, batches changed."""

    letters: int = 0
    batches_rebuilt: int = 0
    batches_emptied: int = 0


def _ready_status(letter: Letter, facility: Facility | None) -> str:
    """A letter back from a batch: translated if a translation suits where it goes now."""
    languages = [t.language for t in letter.translations.all()]
    if languages and (facility is None or any(facility.accepts_language(c) for c in languages)):
        return Letter.Status.TRANSLATED
    return Letter.Status.APPROVED


def reroute_unposted(case_ids: Iterable[int], *, on: date | None = None) -> Reroute:
    """Take these cases' letters out of the batches not yet posted that no longer suit them.

    A letter stays where it is while its case is in custody, not in transit, and still at
    the batch's facility (its address is updated if the address period changed). Otherwise
    it leaves the batch and is ready again: it joins the new facility's queue, or waits there
    while the case is in transit, released or dead. A batch that changed builds its PDF
    again (so the old printout cannot be posted); a batch left empty is deleted.
    """
    day = on or timezone.localdate()
    ids = list(set(case_ids))
    if not ids:
        return Reroute()
    with transaction.atomic():
        items = list(
            MailItem.objects.select_for_update(of=("self",))
            .filter(letter__case_id__in=ids, batch__posted_on__isnull=True)
            .select_related("batch", "letter__case")
            .prefetch_related("letter__translations")
        )
        if not items:
            return Reroute()
        current = _current_periods(ids, day)
        moved: list[MailItem] = []
        readdressed: list[MailItem] = []
        for item in items:
            case, period = item.letter.case, current.get(item.letter.case_id)
            stays = (
                case.in_custody
                and not case.mail_on_hold
                and period is not None
                and period.facility_id == item.batch.facility_id
            )
            if not stays:
                moved.append(item)
            elif period is not None and period.pk != item.address_id:
                item.address = period
                readdressed.append(item)
        MailItem.objects.bulk_update(readdressed, ["address"])
        now = timezone.now()
        for item in moved:
            period = current.get(item.letter.case_id)
            status = _ready_status(item.letter, period.facility if period else None)
            Letter.objects.filter(pk=item.letter_id).update(status=status, updated_at=now)
        MailItem.objects.filter(pk__in=[item.pk for item in moved]).delete()
        changed = {item.batch_id: item.batch for item in [*moved, *readdressed]}
        emptied = [
            b for pk, b in changed.items() if not MailItem.objects.filter(batch_id=pk).exists()
        ]
        for batch in emptied:
            _delete_batch(batch)
        rebuilt = [b for b in changed.values() if b not in emptied]
        for batch in rebuilt:
            pdfjobs.queue(batch)
        for batch in rebuilt:
            enqueue_with_writes(build_batch_pdf, batch.pk)
        detail = f"{len(rebuilt)} batch(es) rebuilt, {len(emptied)} emptied"
        record(Audit.LETTERS_REROUTED, by="reroute", records=len(moved), detail=detail)
    return Reroute(len(moved), len(rebuilt), len(emptied))


def _current_periods(case_ids: list[int], on: date) -> dict[int, AddressPeriod]:
    periods = (
        AddressPeriod.objects.filter(case_id__in=case_ids, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("facility")
        .order_by("case_id", "valid_from", "pk")
    )
    return {p.case_id: p for p in periods}  # the latest start wins


def _delete_batch(batch: MailBatch) -> None:
    name = batch.pdf.name if batch.pdf else ""
    storage = batch.pdf.storage
    batch.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@dataclass(frozen=True)
class DeadlineRow:
    """Letters with one posting date (a card drive's), to one facility, by how far they got."""

    post_by: date
    campaign: str
    facility: Facility | None  # None: the person has no current address
    in_moderation: int = 0
    ready_or_waiting: int = 0  # approved or translated, not yet in a batch
    batched: int = 0
    posted: int = 0

    @property
    def to_post(self) -> int:
        return self.in_moderation + self.ready_or_waiting + self.batched


def posting_deadlines(*, on: date | None = None, past_days: int = 14) -> list[DeadlineRow]:
    """For every posting date from `past_days` ago on: per campaign and current facility, how
    many of its letters wait for moderation, for a batch, in a batch, or were posted."""
    day = on or timezone.localdate()
    stages = {
        **dict.fromkeys(Letter.IN_MODERATION, "in_moderation"),
        **dict.fromkeys(Letter.READY_FOR_MAIL, "ready_or_waiting"),
        Letter.Status.BATCHED: "batched",
        **dict.fromkeys(
            (Letter.Status.POSTED, Letter.Status.DELIVERED, Letter.Status.RETURNED), "posted"
        ),
        Letter.Status.CENSORED: "posted",
    }
    counts = (
        Letter.objects.filter(post_by__gte=day - timedelta(days=past_days), status__in=stages)
        .values_list("post_by", "campaign__title", "case_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = list(counts)
    current = _current_periods(sorted({case_id for _, _, case_id, _, _ in rows}), day)
    table: dict[tuple[date, str, int | None], dict[str, int]] = defaultdict(
        lambda: defaultdict(int)
    )
    facilities: dict[int, Facility] = {}
    for post_by, title, case_id, status, n in rows:
        period = current.get(case_id)
        facility_id = period.facility_id if period else None
        if period is not None:
            facilities[period.facility_id] = period.facility
        table[(post_by, title, facility_id)][stages[status]] += n
    result = [
        DeadlineRow(post_by, title, facilities.get(fid) if fid else None, **dict(stage_counts))
        for (post_by, title, fid), stage_counts in table.items()
    ]
    return sorted(
        result, key=lambda r: (r.post_by, r.campaign, r.facility.name if r.facility else "")
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
        record(Audit.LETTERS_BATCHED, actor=user, obj=batch, records=len(ordered))
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
        going = Letter.objects.filter(mail_item__batch=batch, status=Letter.Status.BATCHED)
        forget_addresses(AUTHOR, going.values_list("pk", flat=True))  # posted: nothing to tell
        posted = going.update(status=Letter.Status.POSTED, updated_at=timezone.now())
        record(Audit.LETTERS_POSTED, actor=user, obj=batch, records=posted)


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
        record(Audit.LETTER_OUTCOME, actor=user, obj=item, detail=outcome.value)


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
