"""The guard in front of the API's public signing endpoint: a proof-of-work from
`GET /challenge`, rate limits (202 "held" past the soft one, 429 past the hard one)."""

from __future__ import annotations

import json
from typing import Any

import altcha
import pytest
from django.test import Client

from actions.tallies import read_totals
from lantern.conf import parse_rates
from lantern.testing import make_campaign, solve_pow
from petitions.models import Signature

pytestmark = pytest.mark.django_db

SIGNER = {"name": "Anna Nowak", "country": "PL"}


def sign(client: Client, slug: str, n: int, **extra: Any) -> Any:
    body = {**SIGNER, "email": f"anna{n}@example.org", "altcha": solve_pow(), **extra}
    url = f"/api/v1/campaigns/{slug}/signatures"
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_client_fetches_a_challenge_solves_it_and_signs(client: Client) -> None:
    campaign = make_campaign(requires_confirmation=False)
    challenge = client.get("/api/v1/challenge").json()
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed)
    assert solution is not None
    payload = altcha.Payload(parsed, solution).to_base64()
    response = sign(client, campaign.slug, 1, altcha=payload)
    assert (response.status_code, response.json()) == (201, {"outcome": "counted"})


def test_without_a_proof_of_work_it_is_a_400_with_a_detail(client: Client) -> None:
    campaign = make_campaign()
    response = sign(client, campaign.slug, 1, altcha="")
    assert response.status_code == 400
    assert "JavaScript" in response.json()["detail"]
    assert not Signature.objects.exists()


def test_past_the_soft_limit_it_is_202_held(client: Client, settings: Any) -> None:
    settings.SIGN_RATE_CLIENT_SOFT = parse_rates("1/hour")
    campaign = make_campaign(requires_confirmation=False)
    assert sign(client, campaign.slug, 1).status_code == 201
    held = sign(client, campaign.slug, 2)
    assert (held.status_code, held.json()) == (202, {"outcome": "held"})
    assert read_totals(campaign.pk).total == 1


def test_past_the_hard_limit_it_is_429_with_retry_after(client: Client, settings: Any) -> None:
    settings.SIGN_RATE_CLIENT_HARD = parse_rates("1/hour")
    campaign = make_campaign(requires_confirmation=False)
    sign(client, campaign.slug, 1)
    response = sign(client, campaign.slug, 2)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many" in response.json()["detail"]
    assert Signature.objects.count() == 1


def test_a_disposable_address_is_a_422(client: Client) -> None:
    response = sign(client, make_campaign().slug, 1, email="x@mailinator.com")
    assert response.status_code == 422
    assert response.json() == {"detail": "email is at a disposable-mail service"}
