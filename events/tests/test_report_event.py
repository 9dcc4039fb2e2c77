"""`events.services.report_event`: the report, its counts in the ledger, its photos cleaned."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from io import BytesIO

import pytest

from actions.models import Action
from actions.tallies import read_totals, rebuild_tallies
from actions.types import ActionType, Channel, Source
from campaigns.models import Campaign
from conftest import Cast
from events.models import EventReport
from events.services import EventInput, EventRejected, clean_photo, report_event
from events.tests.photos import (
    assert_nothing_but_pixels,
    jpeg_with_gps_and_xmp,
    png_with_text_chunks,
)
from lantern.testing import make_campaign, make_partner

pytestmark = pytest.mark.django_db

WARSAW_EVENING = datetime(2012, 12, 10, 18, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def campaign(cast: Cast) -> Campaign:
    return make_campaign(partners=[cast.partner])


def event_input(campaign: Campaign, **changes: object) -> EventInput:
    values: dict[str, object] = {
        "campaign": campaign,
        "title": "Letter-writing evening",
        "city": "Warsaw",
        "country": "PL",
        "happened_at": WARSAW_EVENING,
        "people": 40,
        "counts": {"letter": 120, "card": 35, "signature": 0},
    }
    values.update(changes)
    return EventInput(**values)  # type: ignore[arg-type]  # test data, checked by the service


def test_counts_enter_the_ledger_with_the_event_as_provenance(
    cast: Cast, campaign: Campaign
) -> None:
    event = report_event(cast.partner, event_input(campaign), reported_by=cast.reporter)

    rows = {a.action_type: a for a in Action.objects.filter(campaign=campaign)}
    assert set(rows) == {"letter", "card"}  # nothing for a count of 0
    letter = rows["letter"]
    assert letter.count == 120
    assert letter.external_id == f"lantern-event-{event.pk}-letter"
    assert rows["card"].external_id == f"lantern-event-{event.pk}-card"
    assert (letter.partner, letter.recorded_by, letter.source, letter.channel) == (
        cast.partner,
        cast.reporter,
        Source.WEB,
        Channel.EVENT,
    )
    assert letter.occurred_at == WARSAW_EVENING
    assert letter.utc_offset_minutes == 60
    assert (letter.country, letter.city, letter.note) == ("PL", "Warsaw", "Letter-writing evening")
    assert read_totals(campaign.pk).total == 155
    assert rebuild_tallies(campaign.pk) == 155
    assert event.reported_by == cast.reporter
    assert (event.people, event.city, event.country) == (40, "Warsaw", "PL")


def test_partner_not_taking_part_stores_nothing(cast: Cast) -> None:
    campaign = make_campaign(partners=[make_partner()])
    with pytest.raises(EventRejected) as rejected:
        report_event(cast.partner, event_input(campaign), reported_by=cast.reporter)
    assert "campaign" in rejected.value.problems
    assert not EventReport.objects.exists()
    assert not Action.objects.exists()


def test_a_kind_of_action_the_campaign_does_not_count_stores_nothing(cast: Cast) -> None:
    campaign = make_campaign(partners=[cast.partner], action_types=[ActionType.SIGNATURE])
    with pytest.raises(EventRejected) as rejected:
        report_event(cast.partner, event_input(campaign), reported_by=cast.reporter)
    assert "Letter" in str(rejected.value)
    assert not EventReport.objects.exists()
    assert not Action.objects.exists()


def test_photos_keep_nothing_but_their_pixels(cast: Cast, campaign: Campaign) -> None:
    photos = [
        (clean_photo(BytesIO(jpeg_with_gps_and_xmp())), "Warsaw (Poland)"),
        (clean_photo(BytesIO(png_with_text_chunks())), "Poznań (Poland)"),
    ]
    event = report_event(
        cast.partner, event_input(campaign, photos=photos), reported_by=cast.reporter
    )

    stored = list(event.photos.all())
    assert [p.caption for p in stored] == ["Warsaw (Poland)", "Poznań (Poland)"]
    assert [p.order for p in stored] == [0, 1]
    assert (stored[0].width, stored[0].height) == (1600, 1067)  # resized to 1600 px at most
    for photo in stored:
        with photo.image.open("rb") as f:
            assert_nothing_but_pixels(f.read())
