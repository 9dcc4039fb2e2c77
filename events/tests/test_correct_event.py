"""`events.services.correct_event`: corrections appended to the ledger, totals exact, audited."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone as django_timezone

from actions.models import Action
from actions.tallies import read_totals, rebuild_tallies
from actions.types import ActionType, Channel, Source
from campaigns.models import Campaign
from conftest import Cast
from events.models import EventCorrection, EventReport
from events.services import EventInput, EventRejected, correct_event, event_counts, report_event
from lantern.testing import make_campaign

pytestmark = pytest.mark.django_db

WARSAW_EVENING = datetime(2012, 12, 10, 18, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def campaign(cast: Cast) -> Campaign:
    return make_campaign(partners=[cast.partner])


@pytest.fixture
def event(cast: Cast, campaign: Campaign) -> EventReport:
    data = EventInput(
        campaign=campaign,
        title="Letter-writing evening",
        city="Warsaw",
        country="PL",
        happened_at=WARSAW_EVENING,
        people=40,
        counts={"letter": 120, "card": 35},
    )
    return report_event(cast.partner, data, reported_by=cast.reporter)


def ledger_total(campaign: Campaign) -> int:
    return int(Action.objects.filter(campaign=campaign).aggregate(n=Sum("count"))["n"] or 0)


def test_lowering_a_count_appends_a_negative_correction_row_and_totals_stay_exact(
    cast: Cast, campaign: Campaign, event: EventReport
) -> None:
    rows_before = list(Action.objects.values_list("pk", "count").order_by("pk"))

    correction = correct_event(
        event,
        {"letter": 100, "card": 35},
        people=40,
        reason="Twenty letters were counted twice.",
        corrected_by=cast.organizer,
    )

    assert (
        list(
            Action.objects.filter(pk__in=[pk for pk, _ in rows_before])
            .values_list("pk", "count")
            .order_by("pk")
        )
        == rows_before
    )  # the report's rows are untouched
    row = Action.objects.get(external_id__contains="correction")
    assert row.count == -20
    assert row.external_id == f"lantern-event-{event.pk}-correction-{correction.pk}-letter"
    assert (row.source, row.channel, row.partner, row.recorded_by) == (
        Source.CORRECTION,
        Channel.EVENT,
        cast.partner,
        cast.organizer,
    )
    assert row.occurred_at == WARSAW_EVENING  # counted when the event happened
    assert row.utc_offset_minutes == 60
    assert event_counts(event) == {"letter": 100, "card": 35}
    assert ledger_total(campaign) == 135
    assert read_totals(campaign.pk).total == 135
    assert rebuild_tallies(campaign.pk) == 135
    assert read_totals(campaign.pk).total == 135


def test_raising_adding_and_removing_kinds_of_action_in_one_correction(
    cast: Cast, campaign: Campaign, event: EventReport
) -> None:
    correct_event(
        event,
        {"letter": 150, "signature": 12},
        people=40,
        reason="The card count was letters; the paper petition was forgotten.",
        corrected_by=cast.organizer,
    )
    deltas = dict(
        Action.objects.filter(source=Source.CORRECTION).values_list("action_type", "count")
    )
    assert deltas == {"letter": 30, "card": -35, "signature": 12}
    assert event_counts(event) == {"letter": 150, "signature": 12}
    assert read_totals(campaign.pk).total == ledger_total(campaign) == 162


def test_each_correction_starts_from_the_figures_the_last_one_left(
    cast: Cast, campaign: Campaign, event: EventReport
) -> None:
    correct_event(
        event, {"letter": 100, "card": 35}, people=40, reason="a", corrected_by=cast.organizer
    )
    correct_event(
        event, {"letter": 110, "card": 35}, people=40, reason="b", corrected_by=cast.organizer
    )
    assert event_counts(event) == {"letter": 110, "card": 35}
    assert ledger_total(campaign) == read_totals(campaign.pk).total == 145
    second = EventCorrection.objects.order_by("pk").last()
    assert second is not None
    assert (second.old_counts, second.new_counts) == (
        {"letter": 100, "card": 35},
        {"letter": 110, "card": 35},
    )


def test_the_correction_is_audited_with_who_when_old_new_and_why(
    cast: Cast, event: EventReport
) -> None:
    before = django_timezone.now()
    correct_event(
        event,
        {"letter": 100, "card": 35},
        people=38,
        reason="  Two people were counted twice.  ",
        corrected_by=cast.organizer,
    )
    entry = EventCorrection.objects.get()
    assert entry.event == event
    assert entry.corrected_by == cast.organizer
    assert entry.corrected_at >= before
    assert entry.reason == "Two people were counted twice."
    assert entry.old_counts == {"letter": 120, "card": 35}
    assert entry.new_counts == {"letter": 100, "card": 35}
    assert (entry.old_people, entry.new_people) == (40, 38)
    event.refresh_from_db()
    assert event.people == 38


def test_changing_only_the_people_adds_no_ledger_row(cast: Cast, event: EventReport) -> None:
    rows = Action.objects.count()
    correct_event(
        event,
        {"letter": 120, "card": 35},
        people=45,
        reason="late count",
        corrected_by=cast.organizer,
    )
    assert Action.objects.count() == rows
    assert EventCorrection.objects.get().new_people == 45


def test_a_correction_that_changes_nothing_is_refused(cast: Cast, event: EventReport) -> None:
    with pytest.raises(EventRejected):
        correct_event(
            event, {"letter": 120, "card": 35}, people=40, reason="x", corrected_by=cast.organizer
        )
    assert not EventCorrection.objects.exists()


def test_a_correction_without_a_reason_is_refused(cast: Cast, event: EventReport) -> None:
    with pytest.raises(EventRejected) as rejected:
        correct_event(event, {"letter": 1}, people=40, reason="  ", corrected_by=cast.organizer)
    assert "reason" in rejected.value.problems
    assert not EventCorrection.objects.exists()
    assert ledger_total(event.campaign) == 155


def test_negative_figures_and_kinds_the_campaign_does_not_count_are_refused(
    cast: Cast, campaign: Campaign, event: EventReport
) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(action_types=["letter", "card"])
    event.refresh_from_db()
    for counts in ({"letter": -5}, {"letter": 120, "card": 35, "art": 3}):
        with pytest.raises(EventRejected):
            correct_event(event, counts, people=40, reason="x", corrected_by=cast.organizer)
    assert not EventCorrection.objects.exists()
    assert ledger_total(campaign) == 155


def test_the_ledger_refuses_a_negative_count_that_is_not_a_correction(
    campaign: Campaign,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(
            campaign=campaign,
            action_type=ActionType.LETTER,
            count=-1,
            country="PL",
            occurred_at=WARSAW_EVENING,
            channel=Channel.PAPER,
            source=Source.IMPORT,
        )
