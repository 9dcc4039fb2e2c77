"""One prisoner as a list gives it (`RegistryRow`), and the checks every format shares.

The CSV and JSON readers (`registry/formats/`) turn each record into a mapping of column
names to values; `parse_record` checks it the same way for both, naming every problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from lantern.countries import resolve_country

COLUMNS = (
    "id",
    "name",
    "name_latin",
    "country",
    "birth_year",
    "status",
    "arrested_on",
    "articles",
    "sentence",
    "facility",
    "facility_address",
    "recipient",
    "release_on",
)
REQUIRED = ("name", "name_latin", "status")
EARLIEST_YEAR = 1900
LIMITS = {"id": 200, "name": 200, "name_latin": 200, "sentence": 300, "facility": 200}
MAX_ADDRESS_LINES = 8
MAX_LINE = 200


@dataclass(frozen=True)
class RegistryRow:
    key: str
    name: str  # in the local script: Алесь Бяляцкі
    name_latin: str  # Ales Bialiatski
    country: str
    birth_year: int | None
    status: str
    arrested_on: date | None
    articles: tuple[str, ...]
    sentence: str
    facility: str
    facility_address: tuple[str, ...]
    recipient: str
    release_on: date | None

    def as_json(self) -> dict[str, Any]:
        """The row as stored in `ObservedRow.values`."""
        return {
            "id": self.key,
            "name": self.name,
            "name_latin": self.name_latin,
            "country": self.country,
            "birth_year": self.birth_year,
            "status": self.status,
            "arrested_on": self.arrested_on.isoformat() if self.arrested_on else None,
            "articles": list(self.articles),
            "sentence": self.sentence,
            "facility": self.facility,
            "facility_address": list(self.facility_address),
            "recipient": self.recipient,
            "release_on": self.release_on.isoformat() if self.release_on else None,
        }


class InvalidRecord(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _text(record: Mapping[str, object], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        raise TypeError(name)
    return " ".join(str(value).split())  # one line, single spaces


def _lines(record: Mapping[str, object], name: str) -> list[str]:
    """A list of strings (JSON), or one text with its lines split by newlines or "|"."""
    value = record.get(name)
    if value is None:
        return []
    parts: Sequence[object]
    if isinstance(value, (list, tuple)):
        parts = value
    else:
        parts = str(value).replace("|", "\n").splitlines()
    return [" ".join(str(part).split()) for part in parts if str(part).strip()]


def _date(record: Mapping[str, object], name: str, problems: list[str]) -> date | None:
    text = _text(record, name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(
            _("%(column)s %(value)s is not a date like 2021-07-14")
            % {"column": name, "value": repr(text)}
        )
        return None


def _birth_year(record: Mapping[str, object], problems: list[str]) -> int | None:
    value = record.get("birth_year")
    text = _text(record, "birth_year")
    if not text:
        return None
    if isinstance(value, bool) or not text.isascii() or not text.isdigit():
        problems.append(_("birth_year %(value)s is not a year") % {"value": repr(text)})
        return None
    year = int(text)
    if not EARLIEST_YEAR <= year <= timezone.localdate().year:
        problems.append(_("birth_year %(value)s is not a year") % {"value": repr(text)})
        return None
    return year


def _status(record: Mapping[str, object], problems: list[str]) -> str:
    text = _text(record, "status").lower().replace(" ", "_").replace("-", "_")
    if not text:
        problems.append(_("status is missing"))
    elif text not in Case.Status.values:
        problems.append(
            _("status %(value)s is not one of %(allowed)s")
            % {"value": repr(text), "allowed": ", ".join(Case.Status.values)}
        )
    return text


def key_for(identifier: str, name_latin: str, birth_year: int | None) -> str:
    """The source's id when it gives one; else the Latin name and the birth year."""
    if identifier:
        return identifier
    return f"{name_latin.casefold()}|{birth_year or ''}"


def parse_record(record: Mapping[str, object], *, default_country: str) -> RegistryRow:
    """Check one record; raise InvalidRecord naming every problem found."""
    problems: list[str] = []
    try:
        texts = {name: _text(record, name) for name in LIMITS}
        country_text = _text(record, "country")
        recipient = _text(record, "recipient")
    except TypeError as exc:
        raise InvalidRecord([_("%(column)s must be a text") % {"column": str(exc)}]) from None
    for name in ("name", "name_latin"):
        if not texts[name]:
            problems.append(_("%(column)s is missing") % {"column": name})
    for name, limit in LIMITS.items():
        if len(texts[name]) > limit:
            problems.append(
                _("%(column)s is longer than %(limit)s characters")
                % {"column": name, "limit": limit}
            )
    country = resolve_country(country_text) if country_text else default_country
    if country is None:
        problems.append(
            _("country %(value)s is not an ISO 3166 code or a known name")
            % {"value": repr(country_text)}
        )
    birth_year = _birth_year(record, problems)
    status = _status(record, problems)
    arrested_on = _date(record, "arrested_on", problems)
    release_on = _date(record, "release_on", problems)
    today = timezone.localdate()
    if arrested_on and arrested_on > today:
        problems.append(_("arrested_on is in the future"))
    if arrested_on and release_on and release_on < arrested_on:
        problems.append(_("release_on is before arrested_on"))
    if status == Case.Status.RELEASED and release_on and release_on > today:
        problems.append(_("status is released but release_on is in the future"))
    articles = tuple(
        part
        for chunk in _lines(record, "articles")
        for part in (p.strip() for p in chunk.split(";"))
        if part
    )
    address = tuple(_lines(record, "facility_address"))
    if len(address) > MAX_ADDRESS_LINES or any(len(line) > MAX_LINE for line in address):
        problems.append(
            _("facility_address has more than %(lines)s lines or a line over %(chars)s characters")
            % {"lines": MAX_ADDRESS_LINES, "chars": MAX_LINE}
        )
    if (address or recipient) and not texts["facility"]:
        problems.append(_("facility_address or recipient is given without a facility"))
    if len(recipient) > 300:
        problems.append(
            _("%(column)s is longer than %(limit)s characters")
            % {"column": "recipient", "limit": 300}
        )
    if problems or country is None:
        raise InvalidRecord(problems)
    return RegistryRow(
        key=key_for(texts["id"], texts["name_latin"], birth_year),
        name=texts["name"],
        name_latin=texts["name_latin"],
        country=country,
        birth_year=birth_year,
        status=status,
        arrested_on=arrested_on,
        articles=articles,
        sentence=texts["sentence"],
        facility=texts["facility"],
        facility_address=address,
        recipient=recipient,
        release_on=release_on,
    )
