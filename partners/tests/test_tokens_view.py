"""A partner admin creates API tokens with scopes in the partner area: shown once, stored
hashed, and revoked at once."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from lantern.testing import make_campaign
from partners.models import ApiToken, Membership
from partners.tests.helpers import member

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'value="(lnt_[^"]+)"')


@pytest.fixture
def admin_client(client: Client, cast: Cast) -> Client:
    client.force_login(member(cast.partner, Membership.Role.PARTNER_ADMIN))
    return client


def create(client: Client, cast: Cast, *scopes: str) -> str:
    url = reverse("partners:tokens", args=[cast.partner.slug])
    response = client.post(url, {"name": "CRM sync", "scopes": list(scopes)})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = TOKEN.search(response.content.decode())
    assert match, "the new token is shown"
    return match.group(1)


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(
    admin_client: Client, cast: Cast
) -> None:
    plain = create(admin_client, cast, "actions:write", "totals:read")

    stored = ApiToken.objects.get()
    assert stored.partner == cast.partner
    assert stored.scopes == ["actions:write", "totals:read"]
    assert stored.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert all(plain not in str(v) for v in ApiToken.objects.values().get().values())
    again = admin_client.get(reverse("partners:tokens", args=[cast.partner.slug])).content
    assert plain.encode() not in again
    assert stored.prefix.encode() in again


def test_every_scope_can_be_chosen(admin_client: Client, cast: Cast) -> None:
    create(admin_client, cast, *ApiToken.Scope.values)

    assert sorted(ApiToken.objects.get().scopes) == sorted(
        ["actions:write", "signatures:read", "totals:read", "letters:write"]
    )


def test_a_token_without_a_scope_or_name_is_refused_with_errors(
    admin_client: Client, cast: Cast
) -> None:
    url = reverse("partners:tokens", args=[cast.partner.slug])

    response = admin_client.post(url, {"name": "", "scopes": ["root"]})

    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused_by_the_api_at_once(admin_client: Client, cast: Cast) -> None:
    plain = create(admin_client, cast, "actions:write")
    campaign = make_campaign(partners=[cast.partner])
    auth = {"Authorization": f"Bearer {plain}"}
    url = f"/api/v1/campaigns/{campaign.slug}/actions"
    batch = {
        "actions": [
            {
                "occurred_at": "2012-12-10T18:00:00+01:00",
                "country": "PL",
                "action_type": "letter",
                "external_id": "a",
            }
        ]
    }
    api = Client()
    assert (
        api.post(url, json.dumps(batch), content_type="application/json", headers=auth).status_code
        == 200
    )

    token = ApiToken.objects.get()
    response = admin_client.post(
        reverse("partners:revoke_token", args=[cast.partner.slug, token.pk]), follow=True
    )

    assert "revoked" in response.content.decode()
    answer = api.post(url, json.dumps(batch), content_type="application/json", headers=auth)
    assert answer.status_code == 401
    assert answer.json() == {"detail": "Unauthorized"}
