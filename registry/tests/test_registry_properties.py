"""Property-based tests of the registry's file formats (CSV and JSON): any bytes give rows or
errors with their line, never anything else; a valid list reads back the same in both
formats; one bad row is reported at its line and nothing of the file is stored."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.models import Case
from registry.formats import FORMATS, read_registry
from registry.models import ObservedRow, Prisoner, Source
from registry.rows import COLUMNS
from registry.services import import_registry

DB_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STATUSES = [s for s in Case.Status.values if s != Case.Status.RELEASED]
# Letters a list really holds: Cyrillic and Latin names, digits, the punctuation of articles.
text = (
    st.text(
        alphabet=st.characters(
            whitelist_categories=("Lu", "Ll", "Nd"),
            whitelist_characters=" .,-'№",
            max_codepoint=0x4FF,
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@st.composite
def prisoners(draw: st.DrawFn) -> list[dict[str, Any]]:
    """1 to 8 valid records with distinct ids, as a rights group's list holds them."""
    count = draw(st.integers(1, 8))
    records = []
    for n in range(count):
        has_facility = draw(st.booleans())
        records.append(
            {
                "id": f"p-{n:04d}",
                "name": draw(text),
                "name_latin": draw(text),
                "country": draw(st.sampled_from(["BY", "RU", "Belarus", "the Russian Federation"])),
                "birth_year": draw(st.none() | st.integers(1930, 2005)),
                "status": draw(st.sampled_from(STATUSES)),
                "arrested_on": draw(st.none() | st.dates(date(2001, 1, 1), date(2019, 12, 31))),
                "articles": draw(st.lists(text.filter(lambda s: ";" not in s), max_size=3)),
                "sentence": draw(st.just("") | text),
                "facility": draw(text) if has_facility else "",
                "facility_address": draw(st.lists(text, max_size=4)) if has_facility else [],
            }
        )
    return records


def as_csv(records: list[dict[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=[c for c in COLUMNS if c in records[0]])
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                **record,
                "birth_year": record["birth_year"] or "",
                "arrested_on": record["arrested_on"].isoformat() if record["arrested_on"] else "",
                "articles": "; ".join(record["articles"]),
                "facility_address": " | ".join(record["facility_address"]),
            }
        )
    return out.getvalue().encode("utf-8")


def as_json(records: list[dict[str, Any]]) -> bytes:
    def plain(record: dict[str, Any]) -> dict[str, Any]:
        day = record["arrested_on"]
        return {**record, "arrested_on": day.isoformat() if day else None}

    document = {"source": "a rights group", "prisoners": [plain(r) for r in records]}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@given(data=st.binary(max_size=400))
@example(data=b'\xef\xbb\xbfid,name\n"unterminated')
@example(data=b'[{"name": 1}, 2, "x"]')
@example(data=b'{"prisoners": {}}')
@example(data=b"\xff\xfe\x00")
def test_any_bytes_give_rows_or_errors_with_their_line(fmt: str, data: bytes) -> None:
    parsed = read_registry(data, fmt, default_country="BY")

    assert parsed.rows or parsed.errors
    assert len(parsed.rows) == len(parsed.lines)
    for error in parsed.errors:
        assert error.line >= 0 and str(error)


@given(records=prisoners())
def test_a_valid_list_reads_back_the_same_as_csv_and_as_json(records: list[dict[str, Any]]) -> None:
    from_csv = read_registry(as_csv(records), "csv", default_country="BY")
    from_json = read_registry(as_json(records), "json", default_country="BY")

    assert from_csv.errors == [] and from_json.errors == []
    assert from_csv.rows == from_json.rows
    assert from_csv.lines == list(range(2, len(records) + 2)), "a record a line after the header"
    for row, record in zip(from_csv.rows, records, strict=True):
        assert (row.name, row.name_latin, row.status) == (
            record["name"],
            record["name_latin"],
            record["status"],
        )
        assert row.country in ("BY", "RU")
        assert row.articles == tuple(record["articles"])
        assert row.facility_address == tuple(record["facility_address"])


@pytest.mark.django_db
@DB_SETTINGS
@given(records=prisoners(), bad=st.data())
def test_one_bad_row_is_reported_at_its_line_and_nothing_is_stored(
    records: list[dict[str, Any]], bad: st.DataObject
) -> None:
    source, _ = Source.objects.get_or_create(slug="viasna", defaults={"name": "Viasna"})
    at = bad.draw(st.integers(0, len(records) - 1))
    broken = {**records[at], "status": "on holiday"}
    data = as_csv([*records[:at], broken, *records[at + 1 :]])

    result = import_registry(data, source=source, filename="list.csv")

    assert [e.line for e in result.errors] == [at + 2]
    assert "status 'on_holiday' is not one of" in str(result.errors[0])
    assert not Prisoner.objects.exists() and not ObservedRow.objects.exists()
