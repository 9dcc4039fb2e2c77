"""The guard in front of the widget's sign endpoint: the widget solves the proof-of-work
too, and a refusal says why without taking back the form (the widget keeps what was typed)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from actions.tallies import read_totals
from campaigns.models import Campaign
from lantern.conf import parse_rates
from lantern.testing import make_campaign, make_partner, solve_pow
from petitions.models import Signature
from widgets.services import issue_form_token

pytestmark = pytest.mark.django_db
ELSEWHERE = {"Origin": "https://warsaw-group.example"}


@pytest.fixture
def campaign() -> Campaign:
    return make_campaign(requires_confirmation=False, partners=[make_partner()])


def sign(client: Client, campaign: Campaign, n: int, **extra: str) -> Any:
    data = {
        "token": issue_form_token(campaign, None),
        "name": "Anna Nowak",
        "name_display": "full",
        "email": f"anna{n}@example.org",
        "country": "PL",
        "altcha": solve_pow(),
        "website": "",
        **extra,
    }
    url = reverse("widgets:sign", args=[campaign.slug]) + "?lang=pl"
    return Client(enforce_csrf_checks=True).post(url, data, headers=ELSEWHERE)


def test_the_widget_script_knows_where_to_fetch_a_challenge(
    client: Client, campaign: Campaign
) -> None:
    script = client.get(reverse("widgets:script", args=[campaign.slug])).content.decode()
    assert '"challenge": "http://testserver/api/v1/challenge"' in script
    assert "crypto.subtle.digest" in script


def test_the_challenge_can_be_fetched_from_any_origin(client: Client) -> None:
    response = client.get(reverse("api-1:challenge"), headers=ELSEWHERE)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["parameters"]["algorithm"] == "SHA-256"


def test_without_a_proof_of_work_the_widget_is_told_why_in_its_language(
    client: Client, campaign: Campaign
) -> None:
    response = sign(client, campaign, 1, altcha="")
    body = response.json()
    assert response.status_code == 400
    assert body["html"] == "" and body["problem"]
    assert "JavaScript" in body["problem"] and "make sure" not in body["problem"]  # in Polish
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not Signature.objects.exists()


def test_a_filled_honeypot_is_refused(client: Client, campaign: Campaign) -> None:
    response = sign(client, campaign, 1, website="http://spam")
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_past_the_soft_limit_the_widget_says_it_will_be_reviewed(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.SIGN_RATE_CLIENT_SOFT = parse_rates("1/hour")
    assert sign(client, campaign, 1).json()["outcome"] == "counted"
    held = sign(client, campaign, 2).json()
    assert held["outcome"] == "held" and 'data-outcome="held"' in held["html"]
    assert read_totals(campaign.pk).total == 1
    assert Signature.objects.filter(held_for_review=True).count() == 1


def test_past_the_hard_limit_the_widget_gets_429_and_nothing_is_stored(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.SIGN_RATE_CLIENT_HARD = parse_rates("1/hour")
    sign(client, campaign, 1)
    response = sign(client, campaign, 2)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["problem"]
    assert Signature.objects.count() == 1
