"""Event reports and their photos. Photos are re-encoded before they are stored: nothing of
the original file but its pixels survives (no EXIF with GPS position or camera serial, no XMP,
no ICC profile, no comments), and none is larger than MAX_SIDE pixels."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO
from typing import IO

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from actions.models import Action
from actions.rows import MAX_COUNT, ActionInput
from actions.services import record_actions
from actions.types import ActionType, Channel, Source
from campaigns.models import Campaign
from events.models import EventCorrection, EventPhoto, EventReport
from partners.models import Partner

MAX_SIDE = 1600
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    file: ContentFile[bytes]
    width: int
    height: int


def clean_photo(upload: IO[bytes]) -> CleanPhoto:
    """The photo as a new JPEG built from its pixels alone, turned upright, at most 1600 px."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as original:
                original.load()
                upright = ImageOps.exif_transpose(original)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("This file is not a photo Lantern can read.")) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("This photo has too many pixels.")) from exc
    if upright.mode in ("RGBA", "LA", "P"):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    elif upright.mode != "RGB":
        upright = upright.convert("RGB")
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image from the raw pixels carries no `info` (ICC, EXIF, XMP, comments) to save.
    pixels = Image.frombytes("RGB", upright.size, upright.tobytes())
    out = BytesIO()
    pixels.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(
        ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), pixels.width, pixels.height
    )


@transaction.atomic
def add_photo(
    event: EventReport, upload: IO[bytes], caption: str = "", order: int | None = None
) -> EventPhoto:
    clean = clean_photo(upload)
    if order is None:
        order = event.photos.count()
    return EventPhoto.objects.create(event=event, image=clean.file, caption=caption, order=order)


def campaign_photos(campaign: Campaign) -> QuerySet[EventPhoto]:
    """The gallery: every photo of the campaign's events, in the order the events happened."""
    return (
        EventPhoto.objects.filter(event__campaign=campaign)
        .select_related("event")
        .order_by("event__happened_at", "event_id", "order", "pk")
    )


# --- Reporting an event, and correcting its counts ------------------------------------------
#
# The counts an event report gives enter the ledger through `record_actions`, one row per
# action type, with the partner as provenance and the external_id
# `lantern-event-<event pk>-<type>`. A correction appends one row per changed type with the
# external_id `lantern-event-<event pk>-correction-<correction pk>-<type>`, source
# "correction" and the difference as its count (negative when the figure goes down), and an
# `EventCorrection` records who changed what, when, from what, to what and why.

EXTERNAL_ID_PREFIX = "lantern-event-"


class EventRejected(Exception):
    """Nothing was stored. `problems` maps a field name ("" for the whole report) to messages."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for messages in problems.values() for m in messages))
        self.problems = problems


@dataclass(frozen=True)
class EventInput:
    campaign: Campaign
    title: str
    country: str
    happened_at: datetime  # aware, in the offset the reporter gave
    city: str = ""
    people: int | None = None
    note: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)  # action type -> how many
    photos: Sequence[tuple[CleanPhoto, str]] = ()  # cleaned photo, caption


def event_external_id(
    event: EventReport, action_type: str, correction: EventCorrection | None = None
) -> str:
    if correction is None:
        return f"{EXTERNAL_ID_PREFIX}{event.pk}-{action_type}"
    return f"{EXTERNAL_ID_PREFIX}{event.pk}-correction-{correction.pk}-{action_type}"


def event_ledger_rows(event: EventReport) -> QuerySet[Action]:
    """The ledger rows of an event report and of its corrections."""
    if event.partner_id is None:
        return Action.objects.none()
    return Action.objects.filter(
        partner_id=event.partner_id, external_id__startswith=f"{EXTERNAL_ID_PREFIX}{event.pk}-"
    )


def event_counts(event: EventReport) -> dict[str, int]:
    """The event's actions by type as the ledger holds them now (report plus corrections)."""
    sums = event_ledger_rows(event).values_list("action_type").annotate(n=Sum("count")).order_by()
    return {action_type: int(n) for action_type, n in sums if n}


def _count_problems(campaign: Campaign, counts: Mapping[str, int]) -> list[str]:
    problems = []
    for action_type, count in sorted(counts.items()):
        if count < 0:
            problems.append(_("A count cannot be negative."))
        elif count > MAX_COUNT:
            problems.append(
                _("%(count)s is more than %(max)s actions of one kind.")
                % {"count": count, "max": MAX_COUNT}
            )
        elif count and action_type not in campaign.action_types:
            label = dict(ActionType.choices).get(action_type, action_type)
            problems.append(
                _("This campaign does not count this kind of action: %(kind)s.") % {"kind": label}
            )
    return problems


def _ledger_rows(
    event: EventReport,
    counts: Mapping[str, int],
    utc_offset_minutes: int,
    *,
    correction: EventCorrection | None = None,
) -> list[ActionInput]:
    note = event.title if correction is None else f"{event.title}: {correction.reason}"
    return [
        ActionInput(
            occurred_at=event.happened_at,
            utc_offset_minutes=utc_offset_minutes,
            country=event.country,
            city=event.city,
            action_type=action_type,
            count=count,
            channel=Channel.EVENT,
            external_id=event_external_id(event, action_type, correction),
            note=note[:2000],
        )
        for action_type, count in sorted(counts.items())
        if count
    ]


def store_photo(event: EventReport, photo: CleanPhoto, caption: str, order: int) -> EventPhoto:
    """Store a photo that `clean_photo` has already re-encoded (the type says it was)."""
    return EventPhoto.objects.create(event=event, image=photo.file, caption=caption, order=order)


def report_event(partner: Partner, data: EventInput, *, reported_by: User | None) -> EventReport:
    """Store a group's event report, count its actions in the ledger, keep its photos.

    All or nothing: if a count is wrong, or the partner does not take part in the campaign,
    EventRejected is raised and nothing is stored.
    """
    campaign = data.campaign
    problems: dict[str, list[str]] = {}
    if not campaign.partners.filter(pk=partner.pk).exists():
        problems["campaign"] = [_("Your organization does not take part in this campaign.")]
    count_problems = _count_problems(campaign, data.counts)
    if count_problems:
        problems["counts"] = count_problems
    if problems:
        raise EventRejected(problems)
    offset = data.happened_at.utcoffset() or timedelta(0)
    with transaction.atomic():
        event = EventReport.objects.create(
            campaign=campaign,
            partner=partner,
            title=data.title.strip(),
            city=data.city.strip(),
            country=data.country,
            happened_at=data.happened_at,
            people=data.people,
            note=data.note.strip(),
            reported_by=reported_by,
        )
        rows = _ledger_rows(event, data.counts, int(offset.total_seconds() // 60))
        if rows:
            record_actions(campaign, partner, rows, source=Source.WEB, recorded_by=reported_by)
        for order, (photo, caption) in enumerate(data.photos):
            store_photo(event, photo, caption.strip(), order)
    return event


def correct_event(
    event: EventReport,
    counts: Mapping[str, int],
    *,
    people: int | None,
    reason: str,
    corrected_by: User,
) -> EventCorrection:
    """Set an event's counts to `counts` (types left out become 0) and its number of people.

    Appends the differences to the ledger (the rows already there stay as they are) and an
    `EventCorrection` with the old and new figures, who and why, in one transaction.
    """
    problems: dict[str, list[str]] = {}
    if not reason.strip():
        problems["reason"] = [_("Say why the counts change: it is kept with the correction.")]
    if event.partner_id is None:
        problems[""] = [_("This event has no partner, so none of its actions are in the ledger.")]
    count_problems = _count_problems(event.campaign, counts)
    if count_problems:
        problems["counts"] = count_problems
    if problems:
        raise EventRejected(problems)
    assert event.partner is not None  # noqa: S101 - checked above
    with transaction.atomic():
        # One correction at a time per event, so that each one's differences start from the
        # figures the one before left (SQLite serializes writers already).
        locked = EventReport.objects.select_for_update().get(pk=event.pk)
        old = event_counts(locked)
        new = {action_type: n for action_type, n in sorted(counts.items()) if n}
        if new == old and people == locked.people:
            raise EventRejected({"": [_("Nothing changed: these are the figures already.")]})
        correction = EventCorrection.objects.create(
            event=locked,
            corrected_by=corrected_by,
            reason=reason.strip(),
            old_counts=old,
            new_counts=new,
            old_people=locked.people,
            new_people=people,
        )
        deltas = {t: new.get(t, 0) - old.get(t, 0) for t in sorted(set(old) | set(new))}
        first = event_ledger_rows(locked).order_by("pk").first()
        offset = first.utc_offset_minutes if first is not None else 0
        rows = _ledger_rows(locked, deltas, offset, correction=correction)
        if rows:
            record_actions(
                locked.campaign,
                event.partner,
                rows,
                source=Source.CORRECTION,
                recorded_by=corrected_by,
            )
        if people != locked.people:
            locked.people = people
            locked.save(update_fields=["people"])
    return correction
