from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from hypothesis import given
from hypothesis import strategies as st

from actions.models import Action
from actions.rows import parse_action_fields
from actions.services import record_actions
from actions.types import Source
from lantern.testing import make_campaign, make_case, make_partner
from petitions.services import SignatureInput, sign_petition
from reports.services import BusiestWindow, busiest_window, campaign_report

T0 = datetime(2012, 12, 10, tzinfo=UTC)


def row(external_id: str, country: str, count: int, at: str, action_type: str = "letter"):
    return parse_action_fields(
        {
            "occurred_at": at,
            "country": country,
            "action_type": action_type,
            "count": str(count),
            "external_id": external_id,
        }
    )


def test_busiest_window_counts_only_inside_24_hours() -> None:
    points = [
        (T0, 5),
        (T0 + timedelta(hours=23, minutes=59), 7),
        (T0 + timedelta(hours=24), 100),  # outside a window starting at T0
        (T0 + timedelta(hours=30), 1),
    ]
    assert busiest_window(points) == BusiestWindow(108, T0 + timedelta(hours=23, minutes=59))


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=24 * 60 * 5), st.integers(1, 50)),
        min_size=1,
        max_size=40,
    )
)
def test_busiest_window_matches_brute_force(minutes_and_counts: list[tuple[int, int]]) -> None:
    points = sorted((T0 + timedelta(minutes=m), n) for m, n in minutes_and_counts)
    best = max(
        sum(n for at, n in points if start <= at < start + timedelta(hours=24))
        for start, _ in points
    )
    found = busiest_window(points)
    assert found.count == best
    assert found.count == sum(
        n for at, n in points if found.start <= at < found.start + timedelta(hours=24)
    )


@pytest.mark.django_db
def test_report_equals_ledger_by_every_dimension() -> None:
    poland, japan = make_partner(slug="amnesty-poland"), make_partner(slug="amnesty-japan")
    case = make_case(slug="ales-bialiatski")
    campaign = make_campaign(cases=[case], partners=[poland, japan])
    record_actions(
        campaign,
        poland,
        [
            row("pl-1", "Poland", 14_000, "2012-12-10T09:00:00+01:00"),
            row("pl-2", "PL", 16_894, "2012-12-10T20:00:00+01:00", "signature"),
            row("pl-3", "PL", 500, "2012-12-12T09:00:00+01:00", "art"),
        ],
        source=Source.IMPORT,
    )
    record_actions(
        campaign,
        japan,
        [row("jp-1", "Japan", 1000, "2012-12-12T18:00:00+09:00", "art")],
        source=Source.API,
    )
    sign_petition(campaign, SignatureInput(name="A", email="a@example.org", country="CZ"))

    report = campaign_report(campaign)

    ledger = Action.objects.filter(campaign=campaign).aggregate(n=Sum("count"))["n"]
    assert report.total == ledger == 32_395
    assert report.by_country == {"PL": 31_394, "JP": 1_000, "CZ": 1}
    assert report.countries == 3
    assert report.by_type == {"signature": 16_895, "letter": 14_000, "art": 1_500}
    assert report.by_partner == {"amnesty-poland": 31_394, "amnesty-japan": 1_000, "(none)": 1}
    assert report.by_case == {"ales-bialiatski": 32_395}
    assert report.busiest_24h["PL"] == BusiestWindow(30_894, datetime(2012, 12, 10, 8, tzinfo=UTC))
    for dimension in (report.by_type, report.by_partner, report.by_case):
        assert sum(dimension.values()) == report.total


@pytest.mark.django_db
def test_actions_without_a_case_are_reported_under_none() -> None:
    partner = make_partner()
    campaign = make_campaign(cases=[make_case(), make_case()], partners=[partner])
    record_actions(
        campaign, partner, [row("x", "PL", 3, "2012-12-10T09:00:00Z")], source=Source.IMPORT
    )
    assert campaign_report(campaign).by_case == {"(none)": 3}


@pytest.mark.django_db
def test_report_query_count_does_not_grow_with_the_ledger(
    django_assert_max_num_queries: object,
) -> None:
    partner = make_partner()
    campaign = make_campaign(partners=[partner])
    rows = [
        row(f"r{n}", ["PL", "JP", "CA", "GB"][n % 4], n + 1, f"2012-12-{10 + n % 9}T09:00:00Z")
        for n in range(300)
    ]
    record_actions(campaign, partner, rows, source=Source.IMPORT)
    # New rows: every country's roll-up is computed again in one ledger read and one upsert
    # (inside a savepoint here), after the tallies and the stored roll-ups are read.
    with django_assert_max_num_queries(8):  # type: ignore[operator]  # pytest-django fixture
        first = campaign_report(campaign)
    # Quiet since: tallies, roll-ups, partner names, case names; the ledger is not read.
    with django_assert_max_num_queries(4):  # type: ignore[operator]  # pytest-django fixture
        report = campaign_report(campaign)
    assert report == first
    assert report.total == sum(range(1, 301))


@pytest.mark.django_db
def test_campaign_report_command_prints_json() -> None:
    partner = make_partner()
    campaign = make_campaign(slug="w4r", partners=[partner])
    record_actions(
        campaign, partner, [row("a", "the UK", 7, "2012-12-10T09:00:00Z")], source=Source.IMPORT
    )
    out = StringIO()
    call_command("campaign_report", "w4r", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == 7
    assert data["countries"] == 1
    assert data["by_country"] == {"GB": 7}
    assert data["by_type"] == {"letter": 7}
    assert data["by_partner"] == {partner.slug: 7}
    assert data["busiest_24h"] == {"GB": {"count": 7, "start": "2012-12-10T09:00:00+00:00"}}


@pytest.mark.django_db
def test_campaign_report_command_names_an_unknown_slug() -> None:
    with pytest.raises(CommandError, match="No campaign with slug 'nope'"):
        call_command("campaign_report", "nope")
