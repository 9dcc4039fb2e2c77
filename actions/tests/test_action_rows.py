"""Properties of the row parser shared by the CSV import and the API, and of country names."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pycountry
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from actions.csv_format import read_actions_csv
from actions.rows import EARLIEST, FIELDS, MAX_COUNT, ActionInput, InvalidRow, parse_action_fields
from actions.types import ActionType, Channel
from lantern.countries import country_names, resolve_country

COUNTRIES = list(pycountry.countries)
CODES = [country.alpha_2 for country in COUNTRIES]
NAMES = [country.name for country in COUNTRIES]
# Any offset ISO 8601 and datetime.fromisoformat allow: strictly within a day of UTC.
OFFSET_MINUTES = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1)
OFFSETS = OFFSET_MINUTES.map(lambda minutes: timezone(timedelta(minutes=minutes)))
# The offsets time zones use, which the parser accepts.
ZONE_OFFSET_MINUTES = st.integers(min_value=-12 * 60, max_value=14 * 60)

SOMETIMES_PLAUSIBLE: dict[str, st.SearchStrategy[str]] = {
    "occurred_at": st.one_of(
        st.text(),
        st.datetimes().map(datetime.isoformat),
        st.datetimes(timezones=OFFSETS).map(datetime.isoformat),
    ),
    "country": st.one_of(st.text(), st.sampled_from(CODES + NAMES)),
    "city": st.text(max_size=120),
    "action_type": st.one_of(st.text(), st.sampled_from(ActionType.values)),
    "count": st.one_of(
        st.text(),
        st.integers().map(str),
        st.text(alphabet="0123456789", min_size=1),
    ),
    "channel": st.one_of(st.text(), st.sampled_from(Channel.values)),
    "external_id": st.text(max_size=220),
    "note": st.text(),
}


@given(st.fixed_dictionaries({}, optional=SOMETIMES_PLAUSIBLE))
@example({"count": "9" * 5000})  # more digits than int() converts
@example({"count": "0" * 5000 + "7"})
@example({"occurred_at": "0001-01-01T00:00:00+01:00"})  # would be year 0 in UTC
@example({"occurred_at": "9999-12-31T23:59:59-23:59"})  # would be year 10000 in UTC
@example(dict.fromkeys(FIELDS, ""))
def test_any_text_gives_an_action_input_or_invalid_row(fields: dict[str, str]) -> None:
    try:
        row = parse_action_fields(fields)
    except InvalidRow as exc:
        assert exc.problems, "an invalid row says why"
        assert all(isinstance(problem, str) and problem for problem in exc.problems)
        return
    assert isinstance(row, ActionInput)
    assert row.occurred_at >= EARLIEST
    utc = row.occurred_at.astimezone(UTC)  # as the ledger stores it: must not overflow
    assert utc - timedelta(days=1) < utc  # reports look back a day from each action


@given(st.text())
def test_resolve_country_gives_a_known_code_or_none(text: str) -> None:
    code = resolve_country(text)
    assert code is None or code in country_names()


def test_every_iso_code_and_english_name_resolves_to_its_country() -> None:
    wrong = [
        (spelling, country.alpha_2, resolve_country(spelling))
        for country in COUNTRIES
        for spelling in (
            country.alpha_2,
            country.alpha_2.lower(),
            country.name,
            getattr(country, "common_name", country.name),
        )
        if resolve_country(spelling) != country.alpha_2
    ]
    assert wrong == []


SPELLINGS: list[Callable[[str], str]] = [
    str.upper,
    str.lower,
    str.title,
    lambda name: f"the {name}",
    lambda name: f"The {name}",
    lambda name: f"  {name}\t",
]


@given(st.sampled_from(COUNTRIES), st.sampled_from(SPELLINGS))
def test_a_country_name_resolves_however_it_is_cased_or_spaced(
    country: Any, spell: Callable[[str], str]
) -> None:
    assert resolve_country(spell(country.name)) == country.alpha_2


def stripped_text(*, min_size: int = 0, max_size: int) -> st.SearchStrategy[str]:
    """Text as the parser keeps it: surrounding whitespace is not part of a value, and NUL
    (which PostgreSQL cannot store) is refused."""
    characters = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
    text = st.text(characters, min_size=min_size, max_size=max_size).map(str.strip)
    return text.filter(bool) if min_size else text


@st.composite
def valid_rows(draw: st.DrawFn) -> tuple[dict[str, str], ActionInput]:
    """Fields of a valid report, as text, and the ActionInput they stand for."""
    minutes = draw(ZONE_OFFSET_MINUTES)
    occurred_at = draw(
        st.datetimes(
            min_value=datetime(1900, 1, 2),  # noqa: DTZ001 - hypothesis bounds are naive
            max_value=datetime(2024, 12, 31),  # noqa: DTZ001 - hypothesis bounds are naive
            timezones=st.just(timezone(timedelta(minutes=minutes))),
        )
    )
    country = draw(st.sampled_from(COUNTRIES))
    spelling = draw(st.sampled_from([country.alpha_2, country.alpha_2.lower(), country.name]))
    action_type = draw(st.sampled_from(ActionType.values))
    channel = draw(st.sampled_from(["", *Channel.values]))
    row = ActionInput(
        occurred_at=occurred_at,
        utc_offset_minutes=minutes,
        country=country.alpha_2,
        city=draw(stripped_text(max_size=100)),
        action_type=action_type,
        count=draw(st.integers(min_value=1, max_value=MAX_COUNT)),
        channel=channel or Channel.PAPER,
        external_id=draw(stripped_text(min_size=1, max_size=200)),
        note=draw(stripped_text(max_size=2000)),
    )
    fields = {
        "occurred_at": occurred_at.isoformat(),
        "country": spelling,
        "city": row.city,
        "action_type": draw(st.sampled_from([action_type, action_type.upper()])),
        "count": str(row.count),
        "channel": channel,
        "external_id": row.external_id,
        "note": row.note,
    }
    return fields, row


@given(valid_rows())
def test_a_valid_row_round_trips_its_fields(case: tuple[dict[str, str], ActionInput]) -> None:
    fields, expected = case

    row = parse_action_fields(fields)

    assert row == expected
    assert row.occurred_at.utcoffset() == expected.occurred_at.utcoffset()


MULTILINE = ActionInput(
    occurred_at=datetime(2012, 12, 10, 18, 30, tzinfo=timezone(timedelta(hours=1))),
    utc_offset_minutes=60,
    country="CZ",
    city='Prague, "Old Town"',
    action_type="letter",
    count=12,
    channel="event",
    external_id="cz-1",
    note="first line\nsecond line\r\nthird line",
)
MULTILINE_FIELDS = {
    "occurred_at": "2012-12-10T18:30:00+01:00",
    "country": "the Czech Republic",
    "city": MULTILINE.city,
    "action_type": "Letter",
    "count": "12",
    "channel": "event",
    "external_id": "cz-1",
    "note": MULTILINE.note,
}


@given(valid_rows())
@example((MULTILINE_FIELDS, MULTILINE))
def test_a_valid_row_round_trips_through_a_csv_file(
    case: tuple[dict[str, str], ActionInput],
) -> None:
    fields, expected = case
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    writer.writerow([fields[name] for name in FIELDS])

    parsed = read_actions_csv(io.BytesIO(out.getvalue().encode("utf-8")))

    assert [str(error) for error in parsed.errors] == []
    assert (parsed.rows, parsed.lines) == ([expected], [2])


def valid_fields(**changes: str) -> dict[str, str]:
    fields = {
        "occurred_at": "2012-12-10T18:00:00+01:00",
        "country": "PL",
        "action_type": "letter",
        "count": "3",
        "external_id": "pl-1",
    }
    return {**fields, **changes}


def test_an_offset_no_time_zone_uses_is_refused() -> None:
    """Python reads +16:00; PostgreSQL cannot store it, and no place on Earth uses it."""
    assert parse_action_fields(valid_fields(occurred_at="2012-12-10T18:00:00+14:00"))
    assert parse_action_fields(valid_fields(occurred_at="2012-12-10T18:00:00-12:00"))
    for offset in ("+16:00", "-12:30", "+23:59"):
        with pytest.raises(InvalidRow, match="no time zone uses"):
            parse_action_fields(valid_fields(occurred_at=f"2012-12-10T18:00:00{offset}"))


def test_a_nul_character_is_refused_in_any_field() -> None:
    """PostgreSQL cannot store NUL in text: refused with the field's name, not a failure."""
    with pytest.raises(InvalidRow, match="note contains a NUL character"):
        parse_action_fields(valid_fields(note="first\x00second"))
    with pytest.raises(InvalidRow, match="external_id contains a NUL character"):
        parse_action_fields(valid_fields(external_id="pl-\x001"))
