"""Importing and refreshing a registry: what each refresh finds, what it writes, what it keeps."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from cases.models import AddressPeriod, Case, CaseEvent, CaseName, Facility
from lantern.testing import make_case
from registry.models import Change, Correction, Observation, ObservedRow, Prisoner, Source
from registry.refresh import values_now
from registry.services import correct_prisoner
from registry.tests.conftest import (
    BABRUYSK,
    FIRST,
    SECOND,
    case_of,
    load,
    prisoner,
    sample_rows,
    to_csv,
    to_json,
)

pytestmark = pytest.mark.django_db


def kinds(observation: Observation) -> dict[str, set[str]]:
    """Per change kind, the keys of the prisoners it concerns."""
    found: dict[str, set[str]] = {}
    for change in observation.changes.select_related("prisoner"):
        found.setdefault(change.kind, set()).add(change.prisoner.key)
    return found


def third_list() -> bytes:
    """Two weeks after the second list: Pavel moved again, Raman back on the list, Yanka's
    birth year and Iryna's facility given anew, Volha still released and absent."""
    rows = {row["id"]: row for row in sample_rows()}
    rows.pop("viasna-0007")  # released: off the list
    rows["viasna-0006"].update(
        facility="Penal colony No. 17, Shklou",
        facility_address="Исправительная колония № 17 | ул. 1-я Заводская, 8 | 213010 г. Шклов",
    )
    rows["viasna-0009"].update(sentence="5 years, general-regime colony")
    rows["viasna-0009"].update(articles="367 ч.1; 368 ч.1; 411 ч.1")
    rows["viasna-0005"].update(status="sentenced", sentence="3 years, general-regime colony")
    rows["viasna-0011"].update(facility="Penal colony No. 9, Horki", facility_address="")
    return to_csv(rows.values())


def test_three_imports_find_new_transferred_released_changed_and_gone(source: Source) -> None:
    first = load(source, FIRST, ago=35)
    second = load(source, SECOND, ago=5)
    third = load(source, "viasna-3.csv", data=third_list(), ago=0)

    assert first.ok and second.ok and third.ok, (first.errors, second.errors, third.errors)
    assert first.observation is not None and second.observation is not None
    assert third.observation is not None
    assert set(kinds(first.observation)) == {"new"}
    assert len(kinds(first.observation)["new"]) == 20
    assert kinds(second.observation) == {
        "new": {"viasna-0021", "viasna-0022"},
        "transferred": {"viasna-0006"},
        "released": {"viasna-0007"},
        "sentence": {"viasna-0009", "viasna-0005"},
        "details": {"viasna-0009"},  # its articles
        "status": {"viasna-0005", "viasna-0011"},
        "gone": {"viasna-0015"},
    }
    assert kinds(third.observation) == {
        "back": {"viasna-0015"},
        "transferred": {"viasna-0006", "viasna-0011"},
        "status": {"viasna-0011"},  # in transit, now at Horki: sentenced
        "gone": {"viasna-0007", "viasna-0021", "viasna-0022"},
    }
    assert prisoner("viasna-0015").listed is True
    volha = prisoner("viasna-0007")  # released, then off the list: still released
    assert (volha.listed, volha.case.status) == (False, Case.Status.RELEASED)
    pavel = case_of("viasna-0006")
    periods = list(pavel.address_periods.order_by("valid_from").select_related("facility"))
    assert [p.facility.name for p in periods] == [
        "Penal colony No. 1, Navapolatsk",
        "Penal colony No. 9, Horki",
        "Penal colony No. 17, Shklou",
    ]
    assert pavel.current_address().facility.name == "Penal colony No. 17, Shklou"  # type: ignore[union-attr]
    assert periods[0].valid_to is not None and periods[1].valid_to is not None
    assert [e.kind for e in pavel.events.order_by("date", "pk")] == [
        "arrest",
        "transfer",
        "transfer",
    ]


def test_the_first_import_makes_a_case_per_prisoner_with_names_address_and_record(
    source: Source,
) -> None:
    result = load(source, FIRST, ago=1)

    assert result.ok
    yanka = prisoner("viasna-0002")
    assert yanka.case.name == "Yanka Prykladny"
    assert yanka.case.status == Case.Status.SENTENCED
    assert list(yanka.case.names.values_list("name", "language", "script")) == [
        ("Янка Прыкладны", "be", "Cyrl")
    ]
    assert (yanka.birth_year, yanka.arrested_on, yanka.articles) == (
        1985,
        date(2021, 3, 2),
        ["342 ч.1"],
    )
    address = yanka.case.current_address()
    assert address is not None
    assert address.facility.name == "Penal colony No. 9, Horki"
    assert address.facility.kind == Facility.Kind.PENAL_COLONY
    assert address.lines[0] == "Исправительная колония № 9"
    assert address.recipient_line == "Янка Прыкладны, 1985"
    observation = result.observation
    assert observation is not None
    assert observation.sha256 == hashlib.sha256(FIRST.read_bytes()).hexdigest()
    assert (observation.rows, observation.format, observation.state) == (20, "csv", "done")
    assert ObservedRow.objects.filter(observation=observation).count() == 20
    assert ObservedRow.objects.get(prisoner=yanka).line == 3  # the header is line 1


def test_a_case_already_in_lantern_is_linked_not_duplicated(source: Source) -> None:
    ales = make_case(slug="ales-bialiatski", name="Ales Bialiatski", country="BY")
    CaseName.objects.create(case=ales, name="Алесь Бяляцкі", language="be", script="Cyrl")
    colony = Facility.objects.create(name="Penal colony No. 2, Babruysk", country="BY")
    AddressPeriod.objects.create(
        case=ales,
        facility=colony,
        valid_from=date(2012, 1, 24),
        address_lines="\n".join(BABRUYSK),
        recipient_line="Бяляцкі Алесь Віктаравіч, 1962 г.н.",
    )

    result = load(source, FIRST, ago=1)

    assert result.ok
    assert Case.objects.filter(name="Ales Bialiatski").count() == 1
    entry = prisoner("viasna-0001")
    assert entry.case == ales
    assert entry.sentence == "10 years, high-security colony"
    assert ales.address_periods.count() == 1  # same colony, same address: no move
    assert Change.objects.get(prisoner=entry).new == "linked"
    assert Facility.objects.filter(name="Penal colony No. 2, Babruysk").count() == 1


def test_the_same_list_again_changes_nothing(source: Source) -> None:
    load(source, FIRST, ago=2)
    again = load(source, FIRST, ago=1)

    assert again.ok and again.observation is not None
    assert not again.observation.changes.exists()
    assert Case.objects.count() == 20
    assert Observation.objects.filter(state="done").count() == 2


def test_a_hand_correction_is_kept_and_the_disagreement_shown(source: Source) -> None:
    load(source, FIRST, ago=35)
    yanka = prisoner("viasna-0002")
    values = values_now(yanka)
    changed = correct_prisoner(
        yanka,
        {**values, "birth_year": 1986, "sentence": "3 years 6 months, general regime"},
        user=None,
        note="His family",
    )
    assert changed == ["birth_year", "sentence"]

    second = load(source, SECOND, ago=5)

    yanka.refresh_from_db()
    assert (yanka.birth_year, yanka.sentence) == (1986, "3 years 6 months, general regime")
    assert sorted(yanka.corrected) == ["birth_year", "sentence"]
    disagreements = Change.objects.filter(observation=second.observation, prisoner=yanka)
    assert {(c.kind, c.field, c.old, c.new) for c in disagreements} == {
        ("disagrees", "birth_year", "1986", "1985"),
        (
            "disagrees",
            "sentence",
            "3 years 6 months, general regime",
            "3 years 6 months, general-regime colony",
        ),
    }
    assert Correction.objects.filter(prisoner=yanka).count() == 2


def test_a_list_that_agrees_with_a_correction_shows_no_disagreement(source: Source) -> None:
    load(source, FIRST, ago=35)
    iryna = prisoner("viasna-0009")
    values = values_now(iryna)
    correct_prisoner(iryna, {**values, "sentence": "5 years, general-regime colony"}, user=None)

    second = load(source, SECOND, ago=5)

    fields = set(
        Change.objects.filter(observation=second.observation, prisoner=iryna).values_list(
            "kind", "field"
        )
    )
    assert fields == {("details", "articles")}


def test_a_status_set_in_the_admin_counts_as_a_hand_correction(source: Source) -> None:
    load(source, FIRST, ago=35)
    dzianis = case_of("viasna-0011")
    dzianis.status = Case.Status.DETAINED  # an organizer, in the case's admin
    dzianis.save(update_fields=["status"])

    second = load(source, SECOND, ago=5)  # the list says: in transit

    dzianis.refresh_from_db()
    assert dzianis.status == Case.Status.DETAINED
    assert prisoner("viasna-0011").corrected == ["status"]
    change = Change.objects.get(observation=second.observation, prisoner__key="viasna-0011")
    assert (change.kind, change.old, change.new) == ("disagrees", "detained", "in_transit")
    assert "outside the registry" in Correction.objects.get(prisoner__key="viasna-0011").note


def test_a_release_ends_the_address_and_enters_the_timeline(source: Source) -> None:
    load(source, FIRST, ago=35)
    load(source, SECOND, ago=5)

    volha = case_of("viasna-0007")
    assert volha.status == Case.Status.RELEASED
    assert volha.current_address() is None
    assert volha.events.filter(kind=CaseEvent.Kind.RELEASE).count() == 1
    assert volha.address_periods.get().valid_to is not None


ROW = {
    "id": "x-1",
    "name": "Сцяпан Прыкладны",
    "name_latin": "Sciapan Prykladny",
    "status": "sentenced",
    "facility": "Penal colony No. 2, Babruysk",
    "facility_address": " | ".join(BABRUYSK),
}


def test_bad_rows_are_reported_with_their_line_and_nothing_is_stored(source: Source) -> None:
    rows = [
        ROW,
        {**ROW, "id": "x-2", "birth_year": "19x2"},
        {**ROW, "id": "x-3", "status": "free"},
        {**ROW, "id": "x-4", "name": ""},
        {**ROW, "id": "x-5", "arrested_on": "14.07.2021"},
        {**ROW, "id": "x-1", "name_latin": "Again"},
        {**ROW, "id": "x-7", "facility": "", "facility_address": "somewhere"},
        {**ROW, "id": "x-8", "arrested_on": "2021-07-14", "release_on": "2020-01-01"},
        {**ROW, "id": "x-9", "country": "Atlantis"},
    ]

    result = load(source, "list.csv", data=to_csv(rows))

    assert not result.ok and result.observation is None
    assert [(e.line, e.message) for e in result.errors] == [
        (3, "birth_year '19x2' is not a year"),
        (4, f"status 'free' is not one of {', '.join(Case.Status.values)}"),
        (5, "name is missing"),
        (6, "arrested_on '14.07.2021' is not a date like 2021-07-14"),
        (7, "the same person as line 2 (id 'x-1')"),
        (8, "facility_address or recipient is given without a facility"),
        (9, "release_on is before arrested_on"),
        (10, "country 'Atlantis' is not an ISO 3166 code or a known name"),
    ]
    assert not Case.objects.exists()
    assert not Prisoner.objects.exists()
    assert not Facility.objects.exists()
    assert not Observation.objects.exists()


def test_bad_json_rows_are_reported_by_the_line_their_object_starts_on(source: Source) -> None:
    data = to_json([ROW, {**ROW, "id": "x-2", "birth_year": 1899}, ["not", "an", "object"]])

    result = load(source, "list.json", data=data)

    lines = data.decode().splitlines()
    assert [e.line for e in result.errors] == [
        next(n for n, line in enumerate(lines, 1) if '"x-2"' in line) - 1,
        next(n for n, line in enumerate(lines, 1) if line.strip() == "["),
    ]
    assert result.errors[0].message == "birth_year '1899' is not a year"
    assert result.errors[1].message == "expected an object with the prisoner's fields"
    assert not Prisoner.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"name,name_latin\n", "list.csv", "missing column(s) status"),
        (b"name,name_latin,status,nickname\n", "list.csv", "unknown column(s) nickname"),
        (b"\xff\xfe", "list.csv", "the file is not UTF-8 text"),
        (b'{"prisoners": [', "list.json", "not valid JSON"),
        (b'{"people": []}', "list.json", 'the object has no "prisoners" array'),
        (b"[]", "list.json", "the file lists no one"),
        (b"name", "list.txt", "the file must be .csv or .json"),
    ],
)
def test_a_file_that_cannot_be_read_imports_nothing(
    source: Source, data: bytes, name: str, message: str
) -> None:
    result = load(source, name, data=data)

    assert not result.ok
    assert message in str(result.errors[0])
    assert not Observation.objects.exists()


def test_a_list_older_than_the_last_import_is_refused(source: Source) -> None:
    load(source, SECOND, ago=5)

    older = load(source, FIRST, ago=35)

    assert not older.ok
    assert "retrieved before the last one" in older.errors[0].message
    assert Observation.objects.count() == 1
