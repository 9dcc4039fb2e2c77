"""The REST API under /api/v1/: totals, signing, partners' action batches, tokens."""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from actions.models import Action
from actions.rows import parse_action_fields
from actions.services import record_actions
from actions.types import Source
from campaigns.models import Campaign
from conftest import Cast
from lantern.testing import make_campaign, make_partner
from partners.models import ApiToken
from partners.services import create_api_token, revoke_api_token
from petitions.models import Signature

if TYPE_CHECKING:  # the test client's response type, as django-stubs names it
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

CODES = ["PL", "JP", "BR", "NG", "KR", "CZ", "GB", "BM", "US", "CA"]


def totals_url(campaign: Campaign) -> str:
    return f"/api/v1/campaigns/{campaign.slug}/totals"


def signatures_url(campaign: Campaign) -> str:
    return f"/api/v1/campaigns/{campaign.slug}/signatures"


def actions_url(campaign: Campaign) -> str:
    return f"/api/v1/campaigns/{campaign.slug}/actions"


def post_json(client: Client, url: str, payload: object, token: str | None = None) -> Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(url, json.dumps(payload), content_type="application/json", headers=headers)


def item(external_id: str, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "occurred_at": "2012-12-10T18:00:00+01:00",
        "country": "PL",
        "city": "Warsaw",
        "action_type": "letter",
        "count": 120,
        "channel": "event",
        "external_id": external_id,
    }
    values.update(fields)
    return values


@pytest.fixture
def campaign(cast: Cast) -> Campaign:
    return make_campaign(partners=[cast.partner])


@pytest.fixture
def token(cast: Cast) -> str:
    return create_api_token(cast.partner, "CRM sync", [ApiToken.Scope.RECORD_ACTIONS])[1]


def ledger_total(campaign: Campaign) -> int:
    return int(Action.objects.filter(campaign=campaign).aggregate(n=Sum("count"))["n"] or 0)


def test_openapi_document_lists_the_endpoints(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert set(paths["/api/v1/campaigns/{slug}/totals"]) == {"get"}
    assert set(paths["/api/v1/campaigns/{slug}/signatures"]) == {"post"}
    assert set(paths["/api/v1/campaigns/{slug}/actions"]) == {"post"}
    assert paths["/api/v1/campaigns/{slug}/actions"]["post"]["security"] == [{"PartnerToken": []}]


def test_totals_of_a_live_campaign_match_the_ledger(client: Client, cast: Cast) -> None:
    campaign = make_campaign()
    rows = [
        parse_action_fields(item(str(n), country=country, count=str(count)))
        for n, (country, count) in enumerate([("PL", 7), ("JP", 30), ("PL", 5), ("the UK", 12)])
    ]
    record_actions(campaign, cast.partner, rows, source=Source.IMPORT)

    response = client.get(totals_url(campaign))

    assert response.status_code == 200
    assert response.json() == {
        "campaign": campaign.slug,
        "total": 54,
        "countries": 3,
        "by_country": [
            {"country": "JP", "name": "Japan", "count": 30},
            {"country": "GB", "name": "United Kingdom", "count": 12},
            {"country": "PL", "name": "Poland", "count": 12},
        ],
    }
    assert response.json()["total"] == ledger_total(campaign)


def test_totals_are_read_in_two_queries(
    client: Client, cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    campaign = make_campaign()
    rows = [parse_action_fields(item(str(n), country=code)) for n, code in enumerate(CODES)]
    record_actions(campaign, cast.partner, rows, source=Source.IMPORT)

    with django_assert_max_num_queries(2):  # the campaign, then the summed tally shards
        response = client.get(totals_url(campaign))

    assert response.json()["countries"] == len(CODES)


def test_totals_of_a_draft_campaign_are_a_json_404(client: Client) -> None:
    response = client.get(totals_url(make_campaign(status="draft")))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not Found"}


def test_totals_of_an_unknown_campaign_are_a_json_404(client: Client) -> None:
    response = client.get("/api/v1/campaigns/no-such-campaign/totals")

    assert response.status_code == 404
    assert "detail" in response.json()


SIGNER = {"name": "Anna Nowak", "email": "anna.nowak@example.org", "country": "Poland"}


def test_signing_counts_and_the_same_mailbox_again_is_already_signed(client: Client) -> None:
    campaign = make_campaign()

    first = post_json(client, signatures_url(campaign), SIGNER)
    again = post_json(
        client, signatures_url(campaign), {**SIGNER, "email": " Anna.Nowak+w4r@EXAMPLE.org "}
    )

    assert (first.status_code, first.json()) == (201, {"outcome": "counted"})
    assert (again.status_code, again.json()) == (200, {"outcome": "already_signed"})
    assert Signature.objects.get().country == "PL"
    action = Action.objects.get()
    assert (action.source, action.country, action.count) == ("api", "PL", 1)
    assert client.get(totals_url(campaign)).json()["total"] == 1


@pytest.mark.parametrize(
    ("field", "value", "detail"),
    [
        ("country", "Atlantis", "country 'Atlantis' is not a known country"),
        ("email", "not-an-address", "email is not a valid email address"),
        ("email", "anna@@example.org", "email is not a valid email address"),
    ],
)
def test_signing_with_bad_input_is_a_422_with_a_detail(
    client: Client, field: str, value: str, detail: str
) -> None:
    campaign = make_campaign()

    response = post_json(client, signatures_url(campaign), {**SIGNER, field: value})

    assert response.status_code == 422
    assert response.json() == {"detail": detail}
    assert not Signature.objects.exists()
    assert not Action.objects.exists()


def test_signing_without_a_name_is_a_422(client: Client) -> None:
    response = post_json(client, signatures_url(make_campaign()), {**SIGNER, "name": ""})

    assert response.status_code == 422
    assert any(error["loc"][-1] == "name" for error in response.json()["detail"])
    assert not Signature.objects.exists()


def test_signing_a_closed_campaign_is_a_409(client: Client) -> None:
    campaign = make_campaign(status="closed")

    response = post_json(client, signatures_url(campaign), SIGNER)

    assert response.status_code == 409
    assert response.json() == {"detail": "this campaign is not taking signatures"}
    assert not Signature.objects.exists()


def test_signing_a_draft_campaign_is_a_404(client: Client) -> None:
    response = post_json(client, signatures_url(make_campaign(status="draft")), SIGNER)

    assert response.status_code == 404


def test_partner_records_a_batch_of_actions(
    client: Client, cast: Cast, campaign: Campaign, token: str
) -> None:
    batch = {"actions": [item("evt-77"), item("evt-78", country="South Korea", count=3)]}

    response = post_json(client, actions_url(campaign), batch, token)

    assert response.status_code == 200
    assert response.json() == {"added": 2, "already_recorded": 0}
    korea = Action.objects.get(external_id="evt-78")
    assert (korea.country, korea.count, korea.partner, korea.source) == (
        "KR",
        3,
        cast.partner,
        "api",
    )
    assert client.get(totals_url(campaign)).json()["total"] == 123 == ledger_total(campaign)


def test_channel_defaults_to_partner(client: Client, campaign: Campaign, token: str) -> None:
    without_channel = {k: v for k, v in item("evt-1").items() if k != "channel"}

    post_json(client, actions_url(campaign), {"actions": [without_channel]}, token)

    assert Action.objects.get().channel == "partner"


def test_the_same_batch_again_adds_nothing(client: Client, campaign: Campaign, token: str) -> None:
    batch = {"actions": [item("evt-77"), item("evt-78")]}
    post_json(client, actions_url(campaign), batch, token)

    response = post_json(client, actions_url(campaign), batch, token)

    assert response.status_code == 200
    assert response.json() == {"added": 0, "already_recorded": 2}
    assert Action.objects.count() == 2
    assert client.get(totals_url(campaign)).json()["total"] == 240


def test_a_batch_repeating_an_external_id_is_rejected(
    client: Client, campaign: Campaign, token: str
) -> None:
    batch = {"actions": [item("evt-0"), item("evt-0", action_type="event")]}

    response = post_json(client, actions_url(campaign), batch, token)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"index": 1, "message": "external_id 'evt-0' repeats item 0"}
    ]
    assert not Action.objects.exists()


def test_one_bad_item_rejects_the_whole_batch(
    client: Client, campaign: Campaign, token: str
) -> None:
    batch = {
        "actions": [
            item("evt-1"),
            item("evt-2", country="Atlantis"),
            item("evt-3", occurred_at="2012-12-10T18:00:00"),
            item("evt-4", occurred_at="0001-01-01T00:00:00+01:00"),
        ]
    }

    response = post_json(client, actions_url(campaign), batch, token)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "nothing recorded",
        "errors": [
            {"index": 1, "message": "country 'Atlantis' is not an ISO 3166 code or a known name"},
            {
                "index": 2,
                "message": "occurred_at '2012-12-10T18:00:00' has no UTC offset "
                "(add e.g. +01:00 or Z)",
            },
            {"index": 3, "message": "occurred_at '0001-01-01T00:00:00+01:00' is before 1900"},
        ],
    }
    assert not Action.objects.exists()


def test_an_item_the_schema_refuses_rejects_the_whole_batch(
    client: Client, campaign: Campaign, token: str
) -> None:
    batch = {"actions": [item("evt-1"), item("evt-2", count=0)]}

    response = post_json(client, actions_url(campaign), batch, token)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-3:] == ["actions", 1, "count"]
    assert not Action.objects.exists()


def test_changed_values_for_a_recorded_external_id_are_rejected(
    client: Client, campaign: Campaign, token: str
) -> None:
    post_json(client, actions_url(campaign), {"actions": [item("evt-1")]}, token)
    batch = {"actions": [item("evt-2"), item("evt-1", count=121)]}

    response = post_json(client, actions_url(campaign), batch, token)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"index": 1, "message": "external_id 'evt-1' was already recorded with different values"}
    ]
    assert list(Action.objects.values_list("external_id", "count")) == [("evt-1", 120)]


def test_action_type_not_enabled_for_the_campaign_is_rejected(
    client: Client, cast: Cast, token: str
) -> None:
    petition = make_campaign(partners=[cast.partner], action_types=["signature"])

    response = post_json(client, actions_url(petition), {"actions": [item("evt-1")]}, token)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"index": 0, "message": "action_type 'letter' is not enabled for this campaign"}
    ]
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer lnt_not-a-real-token", "Bearer not-even-the-prefix", "Token {token}"],
    ids=["none", "wrong", "no-prefix", "wrong-scheme"],
)
def test_actions_need_a_valid_token(
    client: Client, campaign: Campaign, token: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization.format(token=token)} if authorization else {}

    response = client.post(
        actions_url(campaign),
        json.dumps({"actions": [item("evt-1")]}),
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 401
    assert not Action.objects.exists()


def test_revoked_token_is_refused_at_once(client: Client, cast: Cast, campaign: Campaign) -> None:
    api_token, plain = create_api_token(cast.partner, "old", [ApiToken.Scope.RECORD_ACTIONS])
    assert (
        post_json(client, actions_url(campaign), {"actions": [item("a")]}, plain).status_code == 200
    )

    revoke_api_token(api_token, by=None)
    response = post_json(client, actions_url(campaign), {"actions": [item("b")]}, plain)

    assert response.status_code == 401
    assert list(Action.objects.values_list("external_id", flat=True)) == ["a"]


def test_token_without_the_write_scope_is_forbidden(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    _, read_only = create_api_token(cast.partner, "dashboard", [ApiToken.Scope.READ_TOTALS])

    response = post_json(client, actions_url(campaign), {"actions": [item("evt-1")]}, read_only)

    assert response.status_code == 403
    assert response.json() == {"detail": "this token may not record actions"}
    assert not Action.objects.exists()


def test_partner_not_in_the_campaign_is_forbidden(client: Client, token: str) -> None:
    elsewhere = make_campaign(partners=[make_partner()])

    response = post_json(client, actions_url(elsewhere), {"actions": [item("evt-1")]}, token)

    assert response.status_code == 403
    assert response.json() == {"detail": "your organization does not take part in this campaign"}
    assert not Action.objects.exists()


def test_unknown_campaign_is_a_404(client: Client, token: str) -> None:
    response = post_json(
        client, "/api/v1/campaigns/no-such-campaign/actions", {"actions": [item("e")]}, token
    )

    assert response.status_code == 404


def test_wrong_http_methods_are_405(client: Client, campaign: Campaign, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get(actions_url(campaign), headers=auth).status_code == 405
    assert client.delete(totals_url(campaign)).status_code == 405
    assert client.get(signatures_url(campaign)).status_code == 405
    assert client.put(totals_url(campaign)).status_code == 405


def test_create_api_token_command_prints_a_token_that_works_and_stores_only_its_hash(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    out, err = StringIO(), StringIO()

    call_command(
        "create_api_token",
        "amnesty-poland",
        "--name",
        "CRM sync",
        "--scope",
        "actions:write",
        stdout=out,
        stderr=err,
    )

    plain = out.getvalue().strip()
    assert plain.startswith("lnt_")
    assert "not shown again" in err.getvalue()
    assert plain not in err.getvalue()
    stored = ApiToken.objects.get()
    assert (stored.partner, stored.name, stored.scopes) == (
        cast.partner,
        "CRM sync",
        ["actions:write"],
    )
    assert stored.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert plain.startswith(stored.prefix)
    assert len(stored.prefix) < len(plain)
    for value in ApiToken.objects.values().get().values():
        assert plain not in str(value)
    response = post_json(client, actions_url(campaign), {"actions": [item("evt-1")]}, plain)
    assert response.status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_create_api_token_command_defaults_to_every_scope(cast: Cast) -> None:
    call_command("create_api_token", "amnesty-poland", stdout=StringIO(), stderr=StringIO())

    assert sorted(ApiToken.objects.get().scopes) == sorted(ApiToken.Scope.values)


def test_create_api_token_command_refuses_an_unknown_partner(db: None) -> None:
    with pytest.raises(CommandError, match="No partner with slug 'nobody'"):
        call_command("create_api_token", "nobody", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()
