"""`/events/<pk>/` (members and organizers) and `/partners/<slug>/events/` (the list)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from conftest import PASSWORD, Cast
from events.models import EventReport
from events.services import EventInput, correct_event, report_event
from lantern.testing import make_campaign, make_partner
from partners.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(cast: Cast) -> EventReport:
    campaign = make_campaign(partners=[cast.partner])
    data = EventInput(
        campaign=campaign,
        title="Lanterns on the river",
        city="Warsaw",
        country="PL",
        happened_at=datetime(2012, 12, 10, 18, 0, tzinfo=timezone(timedelta(hours=1))),
        people=40,
        counts={"letter": 120, "art": 1},
    )
    return report_event(cast.partner, data, reported_by=cast.reporter)


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def detail_url(event: EventReport) -> str:
    return reverse("events:detail", args=[event.pk])


def test_reporter_sees_counts_from_the_ledger_and_the_audit_of_corrections(
    client: Client, cast: Cast, event: EventReport, django_assert_max_num_queries: Any
) -> None:
    correct_event(
        event,
        {"letter": 100, "art": 1},
        people=40,
        reason="Twenty letters were counted twice.",
        corrected_by=cast.organizer,
    )
    login(client, cast.reporter)
    with django_assert_max_num_queries(12):
        response = client.get(detail_url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lanterns on the river" in html
    assert '<td>Letter</td><td class="n">100</td>' in html
    assert "Twenty letters were counted twice." in html
    assert '<td>Letter</td><td class="n">120</td><td class="n">100</td>' in html
    assert "organizer" in html
    assert reverse("events:correct", args=[event.pk]) not in html


def test_organizer_sees_the_link_to_correct(client: Client, cast: Cast, event: EventReport) -> None:
    response = login(client, cast.organizer).get(detail_url(event))
    assert response.status_code == 200
    assert reverse("events:correct", args=[event.pk]) in response.content.decode()


def test_outsider_and_other_partners_may_not_see_an_event(
    client: Client, cast: Cast, event: EventReport
) -> None:
    assert login(client, cast.outsider).get(detail_url(event)).status_code == 403
    other = User.objects.create_user("other", "other@example.org", PASSWORD)
    Membership.objects.create(user=other, partner=make_partner(), role=Membership.Role.REPORTER)
    assert login(Client(), other).get(detail_url(event)).status_code == 403


def test_anonymous_is_sent_to_log_in_for_an_event(client: Client, event: EventReport) -> None:
    response = client.get(detail_url(event))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partners:login"))


def test_event_page_refuses_post(client: Client, cast: Cast, event: EventReport) -> None:
    assert login(client, cast.reporter).post(detail_url(event)).status_code == 405


def test_event_list_shows_the_partners_events_in_few_queries(
    client: Client, cast: Cast, event: EventReport, django_assert_max_num_queries: Any
) -> None:
    campaign: Campaign = event.campaign
    for n in range(5):
        report_event(
            cast.partner,
            EventInput(
                campaign=campaign,
                title=f"Event {n}",
                country="PL",
                happened_at=event.happened_at,
            ),
            reported_by=cast.reporter,
        )
    login(client, cast.reporter)
    url = reverse("events:partner_events", args=[cast.partner.slug])
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(reverse("events:detail", args=[event.pk])) == 1
    assert "Event 4" in html
    assert reverse("events:report", args=[cast.partner.slug]) in html


def test_event_list_is_refused_to_outsiders_anonymous_and_post(
    client: Client, cast: Cast, event: EventReport
) -> None:
    url = reverse("events:partner_events", args=[cast.partner.slug])
    assert client.get(url).status_code == 302
    assert login(client, cast.outsider).get(url).status_code == 403
    assert login(Client(), cast.reporter).post(url).status_code == 405
