"""`/events/<pk>/correct/`: only organizers correct an event's counts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.tallies import read_totals
from actions.types import Source
from conftest import PASSWORD, Cast
from events.models import EventCorrection, EventReport
from events.services import EventInput, report_event
from lantern.testing import make_campaign
from partners.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(cast: Cast) -> EventReport:
    campaign = make_campaign(partners=[cast.partner])
    data = EventInput(
        campaign=campaign,
        title="Letter-writing evening",
        city="Warsaw",
        country="PL",
        happened_at=datetime(2012, 12, 10, 18, 0, tzinfo=timezone(timedelta(hours=1))),
        people=40,
        counts={"letter": 120, "card": 35},
    )
    return report_event(cast.partner, data, reported_by=cast.reporter)


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def url(event: EventReport) -> str:
    return reverse("events:correct", args=[event.pk])


def correction(**changes: str) -> dict[str, str]:
    data = {"count_letter": "100", "count_card": "35", "people": "40", "reason": "Counted twice."}
    data.update(changes)
    return data


def test_organizer_sees_the_current_figures(client: Client, cast: Cast, event: EventReport) -> None:
    response = login(client, cast.organizer).get(url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="count_letter" value="120"' in html
    assert 'name="count_card" value="35"' in html


def test_organizer_corrects_and_the_ledger_and_audit_follow(
    client: Client, cast: Cast, event: EventReport
) -> None:
    response = login(client, cast.organizer).post(url(event), correction())
    assert response.status_code == 302
    assert response["Location"] == reverse("events:detail", args=[event.pk])
    assert read_totals(event.campaign_id).total == 135
    assert Action.objects.get(source=Source.CORRECTION).count == -20
    entry = EventCorrection.objects.get()
    assert (entry.corrected_by, entry.reason) == (cast.organizer, "Counted twice.")
    page = client.get(response["Location"]).content.decode()
    assert "The correction is recorded." in page
    assert "Counted twice." in page


def test_missing_reason_comes_back_with_the_figures_typed(
    client: Client, cast: Cast, event: EventReport
) -> None:
    response = login(client, cast.organizer).post(url(event), correction(reason=""))
    assert response.status_code == 400
    assert 'name="count_letter" value="100"' in response.content.decode()
    assert not EventCorrection.objects.exists()
    assert read_totals(event.campaign_id).total == 155


@pytest.mark.parametrize("role", list(Membership.Role))
def test_no_partner_role_may_correct(
    client: Client, cast: Cast, event: EventReport, role: str
) -> None:
    user = User.objects.create_user(f"member-{role}", "member@example.org", PASSWORD)
    Membership.objects.create(user=user, partner=cast.partner, role=role)
    login(client, user)
    assert client.get(url(event)).status_code == 403
    assert client.post(url(event), correction()).status_code == 403
    assert not EventCorrection.objects.exists()


def test_outsider_may_not_correct(client: Client, cast: Cast, event: EventReport) -> None:
    assert login(client, cast.outsider).post(url(event), correction()).status_code == 403


def test_anonymous_is_sent_to_log_in_to_correct(client: Client, event: EventReport) -> None:
    response = client.post(url(event), correction())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partners:login"))
    assert not EventCorrection.objects.exists()


def test_correct_refuses_put(client: Client, cast: Cast, event: EventReport) -> None:
    assert login(client, cast.organizer).put(url(event)).status_code == 405
