"""The registry's state changes: importing a list, correcting a prisoner by hand, starting a
card drive, and letters and cards to prisoners the fair spread chooses (docs/REGISTRY.md)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.types import ActionType
from campaigns.models import Campaign
from cases.models import Case
from letters.models import Letter
from letters.services import LetterInput, WritingRefused, submit_letter
from mail.services import reroute_unposted
from registry import spread
from registry.formats import FORMATS, FileProblem, LineError, format_for, read_registry
from registry.models import Assignment, Correction, Drive, Observation, Prisoner, Source
from registry.refresh import Refresh, Writer, current_values, known_now, same, shown
from registry.tasks import import_uploaded_registry

# --- Importing a list -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    observation: Observation | None
    errors: list[LineError]

    @property
    def ok(self) -> bool:
        return not self.errors


def _latest(source: Source) -> Observation | None:
    return (
        Observation.objects.filter(source=source, state=Observation.State.DONE)
        .order_by("-retrieved_at", "-pk")
        .first()
    )


def _too_old(source: Source, retrieved_at: datetime) -> LineError | None:
    latest = _latest(source)
    if latest is not None and retrieved_at < latest.retrieved_at:
        return LineError(
            0,
            _("this list was retrieved before the last one imported (%(when)s): import newer lists")
            % {"when": f"{latest.retrieved_at:%Y-%m-%d %H:%M}"},
        )
    return None


def _fail(job: Observation | None, errors: list[LineError]) -> ImportResult:
    if job is not None:
        Observation.objects.filter(pk=job.pk).update(
            state=Observation.State.FAILED,
            errors=[{"line": e.line, "message": e.message} for e in errors],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
    return ImportResult(job, errors)


def import_registry(
    data: bytes,
    *,
    source: Source,
    filename: str,
    fmt: str | None = None,
    retrieved_at: datetime | None = None,
    published_on: date | None = None,
    imported_by: User | None = None,
    job: Observation | None = None,
    on_total: Callable[[int], object] | None = None,
    on_checked: Callable[[], object] | None = None,
    on_written: Callable[[int], object] | None = None,
) -> ImportResult:
    """Import a source's list (CSV or JSON, docs/REGISTRY.md): every row or none.

    Every row is checked first; any bad row imports nothing and every bad row is reported with
    its line. Then, in one transaction, the observation is stored and the difference with
    what Lantern knows is written (`registry.refresh`). `job`: an uploaded file's observation,
    whose state and progress the admin's page shows.
    """
    fmt = fmt or format_for(filename)
    if fmt not in FORMATS:
        return _fail(job, [LineError(0, _("the file must be .csv or .json"))])
    retrieved_at = retrieved_at or timezone.now()
    refusal = _too_old(source, retrieved_at)
    if refusal is not None:
        return _fail(job, [refusal])
    try:
        total = sum(1 for _ in FORMATS[fmt].records(data))
    except FileProblem:
        total = 0  # read_registry reports it
    if on_total is not None:
        on_total(total)
    checked = 0
    step = max(1, total // 50)

    def checked_one() -> None:
        nonlocal checked
        checked += 1
        if on_checked is not None:
            on_checked()
        if job is not None and (checked % step == 0 or checked == total):
            Observation.objects.filter(pk=job.pk).update(done=checked)

    if job is not None:
        Observation.objects.filter(pk=job.pk).update(
            state=Observation.State.CHECKING, total=total, done=0
        )
    parsed = read_registry(data, fmt, default_country=source.country, on_row=checked_one)
    if parsed.errors:
        return _fail(job, parsed.errors)
    if job is not None:
        Observation.objects.filter(pk=job.pk).update(state=Observation.State.APPLYING)
    with transaction.atomic():
        # One refresh of a source at a time: the second waits, then compares with the first.
        Source.objects.select_for_update().filter(pk=source.pk).first()
        refusal = _too_old(source, retrieved_at)
        if refusal is not None:
            transaction.set_rollback(True)
            return _fail(job, [refusal])
        fields: dict[str, Any] = {
            "retrieved_at": retrieved_at,
            "published_on": published_on,
            "filename": filename[:255],
            "sha256": hashlib.sha256(data).hexdigest(),
            "format": fmt,
            "rows": len(parsed.rows),
            "state": Observation.State.DONE,
            "errors": [],
            "finished_at": timezone.now(),
        }
        if job is None:
            observation = Observation.objects.create(
                source=source, imported_by=imported_by, done=len(parsed.rows), total=total, **fields
            )
        else:
            Observation.objects.filter(pk=job.pk).update(**fields)
            observation = Observation.objects.get(pk=job.pk)
        Refresh(source, observation, parsed.rows, parsed.lines, on_written=on_written).run()
    return ImportResult(observation, [])


def queue_registry_upload(
    data: bytes,
    filename: str,
    *,
    source: Source,
    retrieved_at: datetime,
    published_on: date | None,
    user: User | None,
) -> Observation:
    """Keep an uploaded list and import it in the background (the page shows the progress)."""
    fmt = format_for(filename)
    if fmt is None:
        raise ValueError("the file must be .csv or .json")
    with transaction.atomic():
        job = Observation.objects.create(
            source=source,
            retrieved_at=retrieved_at,
            published_on=published_on,
            filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            format=fmt,
            imported_by=user,
            state=Observation.State.QUEUED,
        )
        job.file.save(filename, ContentFile(data), save=False)
        job.save(update_fields=["file"])
        transaction.on_commit(lambda: import_uploaded_registry.enqueue(job.pk))
    return job


# --- Hand corrections -----------------------------------------------------------------------


class CorrectionRefused(Exception):
    """The correction cannot be made; the message is for the organizer."""


def correct_prisoner(
    prisoner: Prisoner,
    values: dict[str, Any],
    *,
    user: AbstractBaseUser | None,
    note: str = "",
    recipient: str = "",
) -> list[str]:
    """An organizer's correction of registry fields (values in the shape of
    `registry.refresh.current_values`). Each changed field is written as a refresh would
    write it (a new facility is a transfer, a release ends the address), recorded as a
    `Correction`, and kept by every later refresh. Returns the fields that changed."""
    unknown = set(values) - set(Prisoner.FIELDS)
    if unknown:
        raise ValueError(f"not registry fields: {sorted(unknown)}")
    today = timezone.localdate()
    with transaction.atomic():
        locked = (
            Prisoner.objects.select_for_update()
            .select_related("case", "source")
            .get(pk=prisoner.pk)
        )
        entry = known_now(locked, locked.source.language, today)
        ours = current_values(locked, entry.local, entry.period)
        if "facility" in values and values["facility"] is None and ours["facility"] is not None:
            raise CorrectionRefused(_("Give the new facility, or mark the person released."))
        changed = [
            name
            for name in Prisoner.FIELDS
            if name in values and not same(name, ours[name], values[name])
        ]
        writer = Writer(locked.source, today)
        release_on = values.get("release_on") or ours["release_on"]
        for name in changed:
            if name == "facility" and not locked.case.in_custody:
                continue
            writer.write(
                entry,
                name,
                ours[name],
                values[name],
                recipient=recipient,
                release_on=date.fromisoformat(release_on) if release_on else None,
            )
        Correction.objects.bulk_create(
            Correction(
                prisoner=locked,
                field=name,
                old=shown(name, ours[name]),
                new=shown(name, values[name]),
                note=note.strip()[:300],
                corrected_by_id=user.pk if user else None,
            )
            for name in changed
        )
        if changed:
            locked.corrected = sorted(set(locked.corrected) | set(changed))
            locked.save(update_fields=["corrected"])
        if writer.moved:
            reroute_unposted(writer.moved)
    prisoner.refresh_from_db()
    return changed


def clear_correction(prisoner: Prisoner, field_name: str, *, user: AbstractBaseUser | None) -> None:
    """Let the source's list decide this field again from the next refresh on."""
    with transaction.atomic():
        locked = Prisoner.objects.select_for_update().get(pk=prisoner.pk)
        if field_name not in locked.corrected:
            return
        locked.corrected = [name for name in locked.corrected if name != field_name]
        locked.save(update_fields=["corrected"])
        Correction.objects.create(
            prisoner=locked,
            field=field_name,
            note="The list decides this field again.",
            corrected_by_id=user.pk if user else None,
        )
    prisoner.refresh_from_db()


# --- Card drives ----------------------------------------------------------------------------


def drive_problems(
    campaign: Campaign | None, post_by: date | None, closes_on: date | None
) -> dict[str, str]:
    """What keeps a drive from starting, by field (empty: nothing)."""
    problems: dict[str, str] = {}
    if campaign is not None and ActionType.CARD not in campaign.action_types:
        problems["campaign"] = _("This campaign does not collect cards: add the card action type.")
    if closes_on and post_by and closes_on > post_by:
        problems["closes_on"] = _("Writing must close on or before the posting date.")
    return problems


def default_closes_on(post_by: date) -> date:
    return post_by - timedelta(days=settings.DRIVE_MAIL_DESK_DAYS)


def start_drive(drive: Drive, *, user: AbstractBaseUser | None) -> Drive:
    """Save a new card drive (its group, if any, is set on it after: `drive.facilities`...)."""
    if not drive.closes_on and drive.post_by:
        drive.closes_on = default_closes_on(drive.post_by)
    problems = drive_problems(drive.campaign, drive.post_by, drive.closes_on)
    if problems:
        raise ValueError("; ".join(problems.values()))
    drive.created_by_id = user.pk if user else None
    drive.save()
    return drive


def drive_is_open(drive: Drive, on: date | None = None) -> bool:
    day = on or timezone.localdate()
    return drive.campaign.status == Campaign.Status.LIVE and day <= drive.closes_on


# --- Letters and cards the fair spread assigns ------------------------------------------------


class NoOneToWrite(Exception):
    """No one in the pool can get this letter now; the message is for the writer."""


def _assign(
    campaign: Campaign,
    case: Case,
    data: LetterInput,
    candidate: spread.Candidate,
    *,
    drive: Drive | None,
    pool: int,
) -> Letter:
    letter = submit_letter(
        campaign,
        case,
        data,
        chosen_by_lantern=True,
        post_by=drive.post_by if drive else None,
    )
    Assignment.objects.create(
        letter=letter, drive=drive, pool=pool, letters_before=candidate.letters
    )
    return letter


def write_to_someone(campaign: Campaign, case: Case, data: LetterInput) -> Letter:
    """A letter to the person the fair spread offered this writer (`spread.offer`), checked
    again now: the person may have been released or reached their cap meanwhile."""
    writer = spread.Writer(data.author_country, spread.is_full_name(data.author_name), data.kind)
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()  # the cap, counted once
        pool = spread.pool(countries=spread.campaign_countries(campaign))
        candidates = spread.candidates(pool.filter(pk=case.pk), writer)
        if not candidates:
            raise NoOneToWrite(spread.why_not(case, writer))
        try:
            return _assign(campaign, case, data, candidates[0], drive=None, pool=pool.count())
        except WritingRefused as exc:
            raise NoOneToWrite(str(exc)) from None


def send_card(drive: Drive, data: LetterInput, *, rng: random.Random | None = None) -> Letter:
    """A drive's card, to a person the fair spread chooses now among the drive's group."""
    if not drive_is_open(drive):
        raise NoOneToWrite(_("This card drive is closed."))
    writer = spread.Writer(data.author_country, spread.is_full_name(data.author_name), data.kind)
    for _attempt in range(3):
        candidates = spread.candidates(spread.pool(drive=drive), writer, drive=drive)
        chosen = spread.draw(candidates, rng)
        if chosen is None:
            raise NoOneToWrite(
                _("Every person in this drive who can get a card from you has one waiting.")
            )
        with transaction.atomic():
            Case.objects.select_for_update().filter(pk=chosen.case.pk).first()
            again = spread.candidates(
                spread.pool(drive=drive).filter(pk=chosen.case.pk), writer, drive=drive
            )
            if not again:
                continue  # someone else's card took the last place meanwhile: draw again
            try:
                return _assign(
                    drive.campaign, chosen.case, data, again[0], drive=drive, pool=len(candidates)
                )
            except WritingRefused as exc:
                raise NoOneToWrite(str(exc)) from None
    raise NoOneToWrite(_("Too many cards are being written at once; please send yours again."))


@dataclass(frozen=True)
class DriveCounts:
    """A drive's reach, as counts (never names): the group, reached, still without a card."""

    group: int
    reached: int
    without: int
    cannot_now: int  # of those without: in transit, without an address, or for their safety


def drive_counts(drive: Drive) -> DriveCounts:
    """Seven queries, whatever the number of people or cards."""
    group = set(spread.pool(drive=drive).values_list("pk", flat=True))
    reached = set(
        Assignment.objects.filter(drive=drive)
        .exclude(letter__status=Letter.Status.REJECTED)
        .values_list("letter__case_id", flat=True)
    )
    without = group - reached
    can: set[int] = set()
    if without:
        anyone = spread.Writer(None, True, Letter.Kind.POSTCARD)
        found = spread.candidates(
            Case.objects.filter(pk__in=without), anyone, cap=False, counts=False
        )
        can = {c.case.pk for c in found}
    return DriveCounts(
        group=len(group),
        reached=len(reached),
        without=len(without),
        cannot_now=len(without - can),
    )
