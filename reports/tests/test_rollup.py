"""`reports.rollup`: the report's roll-up equals the report computed from the raw ledger rows,
after any sequence of writes and corrections, and while writers and readers run at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Action
from actions.rows import ActionInput
from actions.services import record_actions
from actions.types import Channel, Source
from campaigns.models import Campaign
from lantern.testing import make_campaign, make_case, make_partner
from partners.models import Partner
from petitions.services import SignatureInput, sign_petition
from reports.models import CountryRollup
from reports.rollup import rebuild_rollup
from reports.services import campaign_report, report_from_ledger

T0 = datetime(2012, 12, 7, 9, tzinfo=UTC)
COUNTRIES = ["PL", "JP", "CZ", "DE"]
_ids = iter(range(10**9))


def action(
    country: str, count: int, minutes: int, *, action_type: str = "letter", correction=False
) -> ActionInput:
    return ActionInput(
        occurred_at=T0 + timedelta(minutes=minutes),
        utc_offset_minutes=0,
        country=country,
        city="",
        action_type=action_type,
        count=-count if correction else count,
        channel=Channel.PARTNER if correction else Channel.PAPER,
        external_id=f"x{next(_ids)}",
        note="",
    )


def record(campaign: Campaign, partner: Partner, rows: list[ActionInput], correction=False):
    source = Source.CORRECTION if correction else Source.IMPORT
    return record_actions(campaign, partner, rows, source=source)


# One step: a partner's batch (country, count, minutes after T0, type), a correction of
# some of it, a web signature, or a report that must equal the raw ledger's.
_rows = st.lists(
    st.tuples(
        st.sampled_from(COUNTRIES),
        st.integers(1, 500),
        st.integers(0, 60 * 24 * 4),
        st.sampled_from(["letter", "card", "art"]),
    ),
    min_size=1,
    max_size=6,
)
_steps = st.lists(
    st.one_of(
        st.tuples(st.just("batch"), st.integers(0, 1), _rows),
        st.tuples(st.just("correct"), st.integers(0, 1), _rows),
        st.tuples(st.just("sign"), st.sampled_from(COUNTRIES)),
        st.tuples(st.just("report")),
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=_steps)
def test_report_equals_the_raw_ledger_after_any_writes_and_corrections(steps) -> None:
    partners = [make_partner(), make_partner()]
    campaign = make_campaign(cases=[make_case()], partners=partners)
    signers = iter(range(10**6))
    for step in steps:
        if step[0] in ("batch", "correct"):
            fix = step[0] == "correct"
            rows = [action(c, n, m, action_type=t, correction=fix) for c, n, m, t in step[2]]
            record(campaign, partners[step[1]], rows, correction=fix)
        elif step[0] == "sign":
            data = SignatureInput(name="S", email=f"s{next(signers)}@example.org", country=step[1])
            sign_petition(campaign, data)
        assert campaign_report(campaign) == report_from_ledger(campaign)
    # And once more from roll-ups that are all fresh (nothing is read from the ledger).
    assert campaign_report(campaign) == report_from_ledger(campaign)


@pytest.mark.django_db
def test_a_correction_at_the_same_instant_cancels_inside_the_busiest_window() -> None:
    partner = make_partner()
    campaign = make_campaign(partners=[partner])
    record(campaign, partner, [action("PL", 500, 0), action("PL", 10, 60 * 30)])
    record(campaign, partner, [action("PL", 500, 0, correction=True)], correction=True)
    report = campaign_report(campaign)
    assert report == report_from_ledger(campaign)
    assert report.by_country == {"PL": 10}
    assert report.busiest_24h["PL"].count == 10
    assert report.timeline == {"2012-12-07": 0, "2012-12-08": 10}


@pytest.mark.django_db
def test_a_stored_roll_up_that_missed_rows_is_computed_again() -> None:
    partner = make_partner()
    campaign = make_campaign(partners=[partner])
    record(campaign, partner, [action("PL", 3, 0), action("JP", 4, 5)])
    assert rebuild_rollup(campaign) == 2
    stored = CountryRollup.objects.get(campaign=campaign, country="PL")
    assert (stored.ledger_rows, stored.total) == (1, 3)
    record(campaign, partner, [action("PL", 7, 10)])  # the stored PL roll-up is now behind
    report = campaign_report(campaign)
    assert report.by_country == {"PL": 10, "JP": 4}
    assert report == report_from_ledger(campaign)
    stored.refresh_from_db()
    assert (stored.ledger_rows, stored.total) == (2, 10)


@pytest.mark.django_db
def test_rebuilt_roll_up_equals_the_raw_ledger_and_an_empty_campaign_reports_nothing() -> None:
    partner = make_partner()
    campaign = make_campaign(partners=[partner])
    assert campaign_report(campaign) == report_from_ledger(campaign)
    assert campaign_report(campaign).total == 0
    record(campaign, partner, [action(c, n + 1, n * 97) for n, c in enumerate(COUNTRIES * 5)])
    rebuild_rollup(campaign)
    assert CountryRollup.objects.filter(campaign=campaign).count() == len(COUNTRIES)
    assert campaign_report(campaign) == report_from_ledger(campaign)


def _run_at_once(*targets) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(target) -> None:
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
def test_reports_during_concurrent_writes_and_corrections_equal_the_ledger_once_quiet() -> None:
    partners = [make_partner(), make_partner()]
    campaign = make_campaign(partners=partners)
    pk = campaign.pk
    seen: list[tuple[int, int, int, int]] = []

    def writer(n: int):
        def write() -> None:
            live = Campaign.objects.get(pk=pk)
            for k in range(8):
                rows = [action(COUNTRIES[(n + k + j) % 4], 5 + j, 97 * k + j) for j in range(3)]
                record(live, partners[n % 2], rows)
                fix = action(rows[0].country, 2, 97 * k, correction=True)
                record(live, partners[n % 2], [fix], correction=True)
                sign_petition(
                    live, SignatureInput(name="S", email=f"w{n}-{k}@example.org", country="PL")
                )

        return write

    def reader() -> None:
        live = Campaign.objects.get(pk=pk)
        for _ in range(12):
            report = campaign_report(live)
            # Whatever moment it saw, each report adds up the same way in every dimension.
            seen.append(
                (
                    report.total,
                    sum(report.by_type.values()),
                    sum(report.by_partner.values()),
                    sum(report.timeline.values()),
                )
            )

    errors = _run_at_once(writer(0), writer(1), writer(2), reader, reader)
    assert not errors, errors
    assert all(len(set(figures)) == 1 for figures in seen), seen
    report = campaign_report(campaign)
    assert report == report_from_ledger(campaign)
    ledger = Action.objects.filter(campaign=campaign).values_list("count", flat=True)
    assert report.total == sum(ledger)
