"""One shape for an action reported from outside (CSV row, API item), and its parser.

The CSV import and the API both turn their input into `ActionInput` through
`parse_action_fields`, so a row is valid or invalid for the same reasons everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from actions.types import ActionType, Channel
from lantern.countries import resolve_country

FIELDS = (
    "occurred_at",
    "country",
    "city",
    "action_type",
    "count",
    "channel",
    "external_id",
    "note",
)
REQUIRED = ("occurred_at", "country", "action_type", "count", "external_id")
# Looked up once per row of a million-row import: `TextChoices.values` builds a new list.
ACTION_TYPES = tuple(ActionType.values)
CHANNELS = tuple(Channel.values)
MAX_COUNT = 1_000_000
# Reports from a partner's clock that runs ahead are fine; a date next year is a typo.
FUTURE_TOLERANCE = timedelta(days=1)
# An earlier time is a typo; times near year 1 cannot even be stored and read back in UTC.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
# The UTC offsets time zones use; Python takes up to ±23:59, PostgreSQL refuses past ±15:59.
OFFSET_RANGE = (timedelta(hours=-12), timedelta(hours=14))


@dataclass(frozen=True, slots=True)
class ActionInput:
    occurred_at: datetime
    utc_offset_minutes: int
    country: str
    city: str
    action_type: str
    count: int
    channel: str
    external_id: str
    note: str


class InvalidRow(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _text(fields: Mapping[str, object], name: str) -> str:
    value = fields.get(name)
    return "" if value is None else str(value).strip()


def parse_occurred_at(text: str, now: datetime | None = None) -> datetime:
    if not text:
        raise ValueError(_("occurred_at is missing"))
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("occurred_at %(value)s is not an ISO 8601 time (e.g. 2012-12-10T18:30:00+01:00)")
            % {"value": repr(text)}
        ) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            _("occurred_at %(value)s has no UTC offset (add e.g. +01:00 or Z)")
            % {"value": repr(text)}
        )
    offset = value.utcoffset() or timedelta(0)
    if not OFFSET_RANGE[0] <= offset <= OFFSET_RANGE[1]:
        raise ValueError(
            _("occurred_at %(value)s has a UTC offset no time zone uses (-12:00 to +14:00)")
            % {"value": repr(text)}
        )
    if value - (now or timezone.now()) > FUTURE_TOLERANCE:
        raise ValueError(_("occurred_at %(value)s is in the future") % {"value": repr(text)})
    if value < EARLIEST:
        raise ValueError(
            _("occurred_at %(value)s is before %(year)s")
            % {"value": repr(text), "year": EARLIEST.year}
        )
    return value


def parse_action_fields(
    fields: Mapping[str, object], *, now: datetime | None = None
) -> ActionInput:
    """Validate one reported action; raise InvalidRow listing every problem found.

    `now` (default: the current time) is when the report arrived: an import passes the time
    it started, once, rather than asking the clock for each of a million rows."""
    problems: list[str] = []

    occurred_at: datetime | None = None
    try:
        occurred_at = parse_occurred_at(_text(fields, "occurred_at"), now)
    except ValueError as exc:
        problems.append(str(exc))

    country_text = _text(fields, "country")
    country = resolve_country(country_text) if country_text else None
    if not country_text:
        problems.append(_("country is missing"))
    elif country is None:
        problems.append(
            _("country %(value)s is not an ISO 3166 code or a known name")
            % {"value": repr(country_text)}
        )

    city = _text(fields, "city")
    if len(city) > 100:
        problems.append(_("city is longer than 100 characters"))

    action_type = _text(fields, "action_type").lower()
    if action_type not in ACTION_TYPES:
        problems.append(
            _("action_type %(value)s is not one of %(allowed)s")
            % {"value": repr(action_type), "allowed": ", ".join(ACTION_TYPES)}
            if action_type
            else _("action_type is missing")
        )

    count_text = _text(fields, "count")
    digits = count_text.lstrip("0")  # int() refuses over 4,300 digits: compare lengths first
    count = 0
    if not count_text:
        problems.append(_("count is missing"))
    elif not count_text.isascii() or not count_text.isdigit() or not digits:
        problems.append(
            _("count %(value)s is not a positive whole number") % {"value": repr(count_text)}
        )
    elif len(digits) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT:
        problems.append(
            _("count %(value)s is more than %(max)s in one row")
            % {"value": count_text, "max": f"{MAX_COUNT:,}"}
        )
    else:
        count = int(digits)

    channel = _text(fields, "channel").lower() or Channel.PAPER.value
    if channel not in CHANNELS:
        problems.append(
            _("channel %(value)s is not one of %(allowed)s")
            % {"value": repr(channel), "allowed": ", ".join(CHANNELS)}
        )

    external_id = _text(fields, "external_id")
    if not external_id:
        problems.append(_("external_id is missing"))
    elif len(external_id) > 200:
        problems.append(_("external_id is longer than 200 characters"))

    note = _text(fields, "note")
    if len(note) > 2000:
        problems.append(_("note is longer than 2,000 characters"))

    problems.extend(
        _("%(field)s contains a NUL character") % {"field": name}
        for name in FIELDS
        if "\x00" in _text(fields, name)
    )
    if problems or occurred_at is None or country is None:
        raise InvalidRow(problems)
    offset = occurred_at.utcoffset() or timedelta(0)
    return ActionInput(
        occurred_at=occurred_at,
        utc_offset_minutes=int(offset.total_seconds() // 60),
        country=country,
        city=city,
        action_type=action_type,
        count=count,
        channel=channel,
        external_id=external_id,
        note=note,
    )
