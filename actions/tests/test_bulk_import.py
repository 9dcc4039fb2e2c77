"""`actions.bulk_import`: PostgreSQL's set-based import agrees with the row-by-row path on
every file: the same rows in the ledger, the same tallies, or the same errors."""

from __future__ import annotations

import io

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions import services
from actions.bulk_import import import_csv_fast
from actions.models import Action, ImportBatch, Tally
from actions.services import ImportResult, import_actions_csv
from lantern.testing import make_campaign, make_partner

pytestmark = [pytest.mark.django_db]

HEADER = "occurred_at,country,city,action_type,count,channel,external_id,note"

TIMES = [
    "2012-12-10T09:00:00+01:00",
    "2012-12-10 09:00Z",
    "2012-12-10T23:59:59.5-05:30",
    "2012-12-10T09:00:00+0100",  # valid, but not a form the set-based path takes
    "2012-02-30T09:00:00Z",  # no such day
    "2012-12-10T24:00:00Z",
    "2012-12-10T09:00:00",  # no offset
    "2099-01-01T00:00:00Z",  # in the future
    "1850-01-01T00:00:00Z",
    " 2012-12-11T10:00:00+09:00 ",
    "2012-12-10T09:00:00+15:00",  # an offset no time zone uses
    "2012-12-10T09:00:60Z",  # a leap second
    "2012-12-10T09:00:00+01:75",  # no such offset
]
COUNTRIES = ["PL", "Poland", "the Czech Republic", " JP ", "Atlantis", "south korea", "\tDE"]
TYPES = ["letter", "LETTER", "card", "art", "petition", "Letter "]
COUNTS = ["1", "14250", "007", "0", "-3", "1000000", "1000001", "١٢", "x"]
CHANNELS = ["", "event", "Paper", "fax"]
TEXTS = ["", "Warsaw", "Kraków", 'a "quoted", text', "tab\there", "two\nlines", "back\\slash"]


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


# Rows that are all good, in forms the set-based path takes (so that it does accept files)...
_good_row = st.tuples(
    st.sampled_from(TIMES[:3]),
    st.sampled_from(COUNTRIES[:4]),
    st.sampled_from(TEXTS),
    st.sampled_from(TYPES[:4]),
    st.sampled_from(COUNTS[:3]),
    st.sampled_from(CHANNELS[:3]),
    st.integers(0, 30),
    st.sampled_from(TEXTS),
)
# ...and any row at all.
_row = st.tuples(
    st.sampled_from(TIMES),
    st.sampled_from(COUNTRIES),
    st.sampled_from(TEXTS),
    st.sampled_from(TYPES),
    st.sampled_from(COUNTS),
    st.sampled_from(CHANNELS),
    st.integers(0, 30),  # external ids repeat now and then
    st.sampled_from(TEXTS),
)


def _file(rows: list[tuple[object, ...]]) -> bytes:
    lines = [HEADER]
    for at, country, city, kind, count, channel, ext, note in rows:
        cells = [at, country, city, kind, count, channel, f"ext-{ext}", note]
        lines.append(",".join(_cell(str(c)) for c in cells))
    return ("\n".join(lines) + "\n").encode()


def _ledger(campaign) -> list[tuple[object, ...]]:
    rows = Action.objects.filter(campaign=campaign).order_by("pk")
    return list(
        rows.values_list(
            "occurred_at",
            "utc_offset_minutes",
            "country",
            "city",
            "action_type",
            "count",
            "channel",
            "external_id",
            "note",
            "source",
        )
    )


def _tallies(campaign) -> dict[tuple[str, str], tuple[int, int]]:
    rows = (
        Tally.objects.filter(campaign=campaign)
        .values("country", "action_type")
        .annotate(n=Sum("count"), r=Sum("ledger_rows"))
        .values_list("country", "action_type", "n", "r")
    )
    return {(c, t): (n, r) for c, t, n, r in rows}


def _import(data: bytes, *, fast: bool, campaign, partner, monkeypatch) -> ImportResult:
    if not fast:
        monkeypatch.setattr(services, "import_csv_fast", lambda *a, **k: None)
    try:
        return import_actions_csv(
            io.BytesIO(data), campaign=campaign, partner=partner, filename="f.csv"
        )
    finally:
        monkeypatch.undo()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    files=st.lists(
        st.lists(_good_row, min_size=1, max_size=8) | st.lists(_row, min_size=1, max_size=8),
        min_size=1,
        max_size=3,
    )
)
def test_set_based_import_agrees_with_row_by_row(postgres_only, monkeypatch, files) -> None:
    types = ["letter", "card", "art"]
    paths = {}
    for fast in (True, False):
        partner = make_partner()
        campaign = make_campaign(partners=[partner], action_types=types)
        results = [
            _import(
                _file(rows), fast=fast, campaign=campaign, partner=partner, monkeypatch=monkeypatch
            )
            for rows in files
        ]
        batches = list(
            ImportBatch.objects.filter(campaign=campaign)
            .order_by("pk")
            .values_list("rows_in_file", "rows_added")
        )
        paths[fast] = (results, _ledger(campaign), _tallies(campaign), batches)
    assert paths[True] == paths[False]


def test_a_good_file_takes_the_set_based_path(postgres_only) -> None:
    partner = make_partner()
    campaign = make_campaign(partners=[partner])
    data = _file([(TIMES[0], "Poland", "Warsaw", "letter", "12", "", n, "") for n in range(5)])
    result = import_csv_fast(
        data,
        campaign=campaign,
        partner=partner,
        make_batch=lambda rows, added: ImportBatch.objects.create(
            campaign=campaign,
            partner=partner,
            filename="f.csv",
            sha256="",
            rows_in_file=rows,
            rows_added=added,
        ),
        recorded_by=None,
    )
    assert result is not None
    assert (result.added, result.already_recorded, result.rows_in_file) == (5, 0, 5)
    assert _tallies(campaign) == {("PL", "letter"): (60, 5)}


def test_a_file_with_a_bad_row_is_declined_and_leaves_nothing(postgres_only) -> None:
    partner = make_partner()
    campaign = make_campaign(partners=[partner])
    data = _file([(TIMES[0], "Atlantis", "", "letter", "1", "", 1, "")])

    def no_batch(rows: int, added: int) -> ImportBatch:
        raise AssertionError("a declined file makes no batch")

    result = import_csv_fast(
        data, campaign=campaign, partner=partner, make_batch=no_batch, recorded_by=None
    )
    assert result is None
    assert not Action.objects.filter(campaign=campaign).exists()


def test_the_set_based_path_leaves_the_ledgers_foreign_keys_checked(postgres_only) -> None:
    partner = make_partner()
    campaign = make_campaign(partners=[partner])
    data = _file([(TIMES[0], "Poland", "", "letter", "1", "", n, "") for n in range(3)])
    result = import_actions_csv(
        io.BytesIO(data), campaign=campaign, partner=partner, filename="f.csv"
    )
    assert (result.added, result.errors) == (3, [])
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
        row = Action.objects.filter(campaign=campaign).values_list("pk", flat=True).first()
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # A ledger row copied to a campaign that does not exist is refused, as before.
            cursor.execute(
                "INSERT INTO actions_action (campaign_id, case_id, action_type, count, country,"
                " city, occurred_at, utc_offset_minutes, channel, partner_id, source,"
                " import_batch_id, recorded_by_id, external_id, note, created_at)"
                " SELECT campaign_id + 1000000, case_id, action_type, count, country, city,"
                " occurred_at, utc_offset_minutes, channel, partner_id, source,"
                " import_batch_id, recorded_by_id, 'other', note, created_at"
                " FROM actions_action WHERE id = %s",
                [row],
            )


def _staging_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE 'lantern_import_staging%%'")
        return [name for (name,) in cursor.fetchall()]


def test_no_staging_table_outlives_an_import_declined_or_done(postgres_only) -> None:
    partner = make_partner()
    campaign = make_campaign(partners=[partner])
    bad = _file([(TIMES[0], "Atlantis", "", "letter", "1", "", 1, "")])
    good = _file([(TIMES[0], "Poland", "", "letter", "1", "", n, "") for n in range(3)])
    for data, added in ((bad, 0), (good, 3)):
        result = import_actions_csv(
            io.BytesIO(data), campaign=campaign, partner=partner, filename="f.csv"
        )
        assert result.added == added
        assert _staging_tables() == []
