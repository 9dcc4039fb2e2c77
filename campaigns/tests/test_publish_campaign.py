from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.services import close_campaign, publish_campaign
from conftest import Cast
from lantern.testing import make_campaign

pytestmark = pytest.mark.django_db


def test_publishing_a_draft_makes_it_live_and_public(client: Client) -> None:
    campaign = make_campaign(status="draft")
    publish_campaign(campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE
    assert campaign.published_at is not None
    assert client.get(reverse("campaigns:detail", args=[campaign.slug])).status_code == 200


def test_a_campaign_without_a_case_cannot_be_published() -> None:
    campaign = make_campaign(status="draft", cases=[])
    with pytest.raises(ValidationError, match="no case"):
        publish_campaign(campaign)


def test_closing_stops_signatures_but_keeps_the_page() -> None:
    campaign = make_campaign()
    close_campaign(campaign)
    assert not campaign.accepts_signatures
    assert campaign.is_public


def test_organizer_publishes_from_the_admin(client: Client, cast: Cast) -> None:
    campaign = make_campaign(status="draft")
    client.force_login(cast.organizer)
    response = client.post(
        reverse("admin:campaigns_campaign_changelist"),
        {"action": "publish", "_selected_action": [campaign.pk]},
        follow=True,
    )
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE


def test_organizer_creates_case_and_campaign_in_the_admin(client: Client, cast: Cast) -> None:
    client.force_login(cast.organizer)
    response = client.post(
        reverse("admin:cases_case_add"),
        {
            "slug": "ales-bialiatski",
            "name": "Ales Bialiatski",
            "country": "BY",
            "status": "sentenced",
            "story": "Head of Viasna.",
            "names-TOTAL_FORMS": "1",
            "names-INITIAL_FORMS": "0",
            "names-0-name": "Алесь Бяляцкі",
            "names-0-language": "be",
            "names-0-script": "Cyrl",
            "events-TOTAL_FORMS": "1",
            "events-INITIAL_FORMS": "0",
            "events-0-date": "2011-08-04",
            "events-0-kind": "arrest",
            "events-0-description": "Arrested in Minsk.",
            "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "0",
            "translations-0-language": "be",
            "translations-0-headline": "Кіраўнік Праваабарончага цэнтра «Вясна».",
            "translations-0-story": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from cases.models import Case

    case = Case.objects.get(slug="ales-bialiatski")
    assert [n.name for n in case.names.all()] == ["Алесь Бяляцкі"]
    assert case.events.get().kind == "arrest"

    response = client.post(
        reverse("admin:campaigns_campaign_add"),
        {
            "slug": "w4r",
            "title": "Write for Rights",
            "starts_on": "2012-12-07",
            "ends_on": "2013-01-31",
            "action_types": '["signature", "letter"]',
            "languages": '["en", "be"]',
            "goal": "100000",
            "cases": [case.pk],
            "partners": [cast.partner.pk],
            "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "0",
            "translations-0-language": "be",
            "translations-0-title": "Пішам за правы",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get(slug="w4r")
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.action_types == ["signature", "letter"]
    assert campaign.translations.get().title == "Пішам за правы"
    assert case.translations.get().headline == "Кіраўнік Праваабарончага цэнтра «Вясна»."


def test_admin_refuses_unknown_action_types(client: Client, cast: Cast) -> None:
    client.force_login(cast.organizer)
    case_pk = make_campaign().cases.get().pk
    response = client.post(
        reverse("admin:campaigns_campaign_add"),
        {
            "slug": "bad",
            "title": "Bad",
            "starts_on": "2012-12-07",
            "action_types": '["signature", "telepathy"]',
            "languages": '["en"]',
            "cases": [case_pk],
        },
    )
    assert response.status_code == 200
    assert "Unknown action types: telepathy." in response.content.decode()


@pytest.mark.parametrize("user", ["anonymous", "reporter", "outsider"])
def test_campaign_admin_is_for_staff_only(client: Client, cast: Cast, user: str) -> None:
    if user != "anonymous":
        client.force_login(getattr(cast, user))
    response = client.get(reverse("admin:campaigns_campaign_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
