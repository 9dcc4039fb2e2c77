"""Properties of the CSV import (hypothesis), from the bytes of a file to the ledger.

Any bytes: checked rows or errors with their line, never anything else. A file of valid rows:
every row imported and read back from the database equal. The same file with one bad row:
that row's line reported, and nothing of the file stored.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actions.csv_format import read_actions_csv
from actions.models import Action, ImportBatch, Tally
from actions.rows import FIELDS, ActionInput
from actions.services import import_actions_csv
from actions.tests.test_action_rows import valid_rows
from lantern.testing import make_campaign, make_partner

HEADER = ",".join(FIELDS).encode()
# Ways a partner's row goes wrong: (field, value).
CORRUPTIONS = [
    ("country", "Atlantis"),
    ("count", "0"),
    ("count", "12.5"),
    ("occurred_at", "2012-12-10T09:00:00"),  # no UTC offset
    ("occurred_at", "10/12/2012"),
    ("action_type", "petition"),
    ("channel", "pigeon"),
    ("external_id", ""),
    ("note", "a\x00b"),  # PostgreSQL cannot store NUL
    ("city", "x" * 101),
]
DB_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def csv_file(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for fields in rows:
        writer.writerow([fields[name] for name in FIELDS])
    return out.getvalue().encode("utf-8")


@st.composite
def valid_files(draw: st.DrawFn) -> tuple[list[dict[str, str]], list[ActionInput]]:
    """1 to 12 valid rows with distinct external ids."""
    cases = draw(st.lists(valid_rows(), min_size=1, max_size=12))
    fields, expected = [], []
    for n, (row_fields, row) in enumerate(cases):
        external_id = f"{n}-{row.external_id}"[:200]
        fields.append({**row_fields, "external_id": external_id})
        expected.append(_with(row, external_id=external_id))
    return fields, expected


def first_line_of(content: bytes, index: int) -> int:
    """The line the index-th row starts on, as a reader of the file counts lines (a quoted
    field may hold line breaks)."""
    reader = csv.reader(io.StringIO(content.decode("utf-8"), newline=""))
    next(reader)
    last = reader.line_num
    for _ in range(index):
        next(reader)
        last = reader.line_num
    return last + 1


def _with(row: ActionInput, **changes: Any) -> ActionInput:
    return dataclasses.replace(row, **changes)


@given(st.binary(max_size=300) | st.binary(max_size=200).map(lambda b: HEADER + b"\n" + b))
@example(b"\xef\xbb\xbf" + HEADER + b'\n"unterminated')
@example(HEADER + b"\n\xff\xfe")
@example(HEADER.replace(b"note", b"note,note"))
def test_any_bytes_give_rows_or_errors_with_their_line(data: bytes) -> None:
    parsed = read_actions_csv(io.BytesIO(data))
    lines = data.count(b"\n") + data.count(b"\r") + 2
    assert len(parsed.rows) == len(parsed.lines)
    for error in parsed.errors:
        assert 1 <= error.line <= lines and error.message
        assert str(error).startswith(f"line {error.line}: ")


def stored(partner: Any) -> list[ActionInput]:
    return [
        ActionInput(
            occurred_at=a.occurred_at,
            utc_offset_minutes=a.utc_offset_minutes,
            country=a.country,
            city=a.city,
            action_type=a.action_type,
            count=a.count,
            channel=a.channel,
            external_id=a.external_id or "",
            note=a.note,
        )
        for a in Action.objects.filter(partner=partner).order_by("pk")
    ]


@pytest.mark.django_db
@DB_SETTINGS
@given(valid_files())
def test_every_valid_row_is_imported_and_read_back_equal(
    case: tuple[list[dict[str, str]], list[ActionInput]],
) -> None:
    rows, expected = case
    with transaction.atomic():
        partner = make_partner()
        campaign = make_campaign(partners=[partner])

        result = import_actions_csv(
            io.BytesIO(csv_file(rows)), campaign=campaign, partner=partner, filename="a.csv"
        )

        assert result.errors == []
        assert result.added == len(expected)
        assert stored(partner) == expected
        total = sum(row.count for row in expected)
        assert Tally.objects.filter(campaign=campaign).aggregate(n=Sum("count"))["n"] == total
        transaction.set_rollback(True)


@pytest.mark.django_db
@DB_SETTINGS
@given(valid_files(), st.data())
def test_a_bad_row_is_reported_at_its_line_and_nothing_is_stored(
    case: tuple[list[dict[str, str]], list[ActionInput]], data: st.DataObject
) -> None:
    rows, _ = case
    bad = data.draw(st.integers(min_value=0, max_value=len(rows) - 1), label="bad row")
    field, value = data.draw(st.sampled_from(CORRUPTIONS), label="corruption")
    rows[bad] = {**rows[bad], field: value}
    content = csv_file(rows)
    line = first_line_of(content, bad)
    with transaction.atomic():
        partner = make_partner()
        campaign = make_campaign(partners=[partner])

        result = import_actions_csv(
            io.BytesIO(content), campaign=campaign, partner=partner, filename="a.csv"
        )

        assert [error.line for error in result.errors] == [line], result.errors
        assert (result.added, result.already_recorded) == (0, 0)
        assert not Action.objects.filter(partner=partner).exists()
        assert not ImportBatch.objects.filter(partner=partner).exists()
        assert not Tally.objects.filter(campaign=campaign).exists()
        transaction.set_rollback(True)
