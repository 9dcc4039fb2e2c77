"""The API's partner endpoints and new public ones: cases, campaigns, reports, letters, a
partner's own actions, signatures, exports and OSDI collections; errors as JSON."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from django.test import Client
from nacl.public import PrivateKey
from pytest_django import DjangoAssertNumQueries

from campaigns.models import Campaign
from conftest import Cast
from lantern.sealing import key_fingerprint, unseal
from lantern.testing import make_campaign, make_case, make_partner
from letters.models import Letter
from partners.models import ApiToken
from partners.services import create_api_token
from partners.tests.helpers import report, signer
from reports.services import campaign_report

pytestmark = pytest.mark.django_db
Scope = ApiToken.Scope


@pytest.fixture
def campaign(cast: Cast, partner_key: PrivateKey) -> Campaign:
    case = make_case(slug="ales", name="Ales Bialiatski")
    campaign = make_campaign(slug="w4r", cases=[case], partners=[cast.partner])
    other = make_partner(slug="other")
    campaign.partners.add(other)
    report(campaign, cast.partner, ("ours-1", "PL", 120))
    report(campaign, other, ("theirs-1", "JP", 1000))
    signer(campaign, cast.partner, "Anna Nowak", "anna@example.org")
    signer(campaign, other, "Their Signer", "theirs@example.org")
    return campaign


def bearer(cast: Cast, *scopes: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_api_token(cast.partner, 't', list(scopes))[1]}"}


def test_cases_show_public_fields_of_published_campaigns_only(
    client: Client, campaign: Campaign
) -> None:
    make_campaign(status="draft", cases=[make_case(slug="secret-draft")])
    hidden = make_case(slug="not-published", may_be_published=False)
    campaign.cases.add(hidden)

    listed = client.get("/api/v1/cases").json()

    assert [c["slug"] for c in listed] == ["ales"]
    assert set(listed[0]) == {
        "slug", "name", "other_names", "country", "status", "headline", "story",
    }  # fmt: skip
    assert client.get("/api/v1/cases/ales").json()["name"] == "Ales Bialiatski"
    for slug in ["not-published", "secret-draft", "nobody"]:
        response = client.get(f"/api/v1/cases/{slug}")
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_campaigns_list_published_ones_with_cases_and_partners(
    client: Client, campaign: Campaign
) -> None:
    make_campaign(status="draft", slug="draft-one")

    listed = client.get("/api/v1/campaigns").json()
    detail = client.get("/api/v1/campaigns/w4r").json()

    assert [c["slug"] for c in listed] == ["w4r"]
    assert detail["cases"] == ["ales"]
    assert sorted(detail["partners"]) == ["amnesty-poland", "other"]
    assert detail["accepts_signatures"] is True
    assert client.get("/api/v1/campaigns/draft-one").status_code == 404


def test_report_is_the_campaign_report_as_json(client: Client, campaign: Campaign) -> None:
    response = client.get("/api/v1/campaigns/w4r/report")

    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(campaign_report(campaign).as_json()))
    assert response.json()["total"] == 1122


LETTER = {
    "case": "ales",
    "text": "Dear Ales, we think of you every day and we are waiting for you at home.",
    "author_name": "Anna",
    "author_country": "Poland",
}


def test_a_partner_submits_a_letter_with_the_letters_scope(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    response = client.post(
        "/api/v1/campaigns/w4r/letters",
        json.dumps(LETTER),
        content_type="application/json",
        headers=bearer(cast, Scope.SUBMIT_LETTERS),
    )

    assert response.status_code == 201, response.content
    letter = Letter.objects.get(pk=response.json()["id"])
    assert (letter.case.slug, letter.partner, letter.author_country) == ("ales", cast.partner, "PL")
    assert response.json()["status"] in ("submitted", "needs_review")


@pytest.mark.parametrize(
    ("scopes", "changes", "status", "detail"),
    [
        ([Scope.RECORD_ACTIONS], {}, 403, "this token lacks the letters:write scope"),
        ([Scope.SUBMIT_LETTERS], {"case": "nobody"}, 422, "case 'nobody' is not in this campaign"),
        (
            [Scope.SUBMIT_LETTERS],
            {"author_country": "Atlantis"},
            422,
            "author_country 'Atlantis' is not a known country",
        ),
    ],
    ids=["no-scope", "unknown-case", "unknown-country"],
)
def test_letters_are_refused_with_a_json_detail(
    client: Client,
    cast: Cast,
    campaign: Campaign,
    scopes: list[str],
    changes: dict[str, str],
    status: int,
    detail: str,
) -> None:
    response = client.post(
        "/api/v1/campaigns/w4r/letters",
        json.dumps({**LETTER, **changes}),
        content_type="application/json",
        headers=bearer(cast, *scopes),
    )

    assert (response.status_code, response.json()) == (status, {"detail": detail})
    assert not Letter.objects.exists()


def test_a_closed_campaign_takes_no_letters(client: Client, cast: Cast, campaign: Campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")

    response = client.post(
        "/api/v1/campaigns/w4r/letters",
        json.dumps(LETTER),
        content_type="application/json",
        headers=bearer(cast, Scope.SUBMIT_LETTERS),
    )

    assert response.status_code == 409
    assert "not taking letters" in response.json()["detail"]


def test_a_partner_reads_only_its_own_actions(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    page = client.get("/api/v1/partner/actions", headers=bearer(cast, Scope.READ_TOTALS)).json()

    assert page["count"] == 2
    assert sorted((a["action_type"], a["count"]) for a in page["items"]) == [
        ("letter", 120),
        ("signature", 1),
    ]


def test_signers_sealed_email_only_with_the_signatures_scope(
    client: Client, cast: Cast, campaign: Campaign, partner_key: PrivateKey
) -> None:
    without = client.get("/api/v1/partner/signatures", headers=bearer(cast, Scope.READ_TOTALS))
    with_scope = client.get(
        "/api/v1/partner/signatures", headers=bearer(cast, Scope.READ_SIGNATURES)
    )

    assert [(s["name"], s["email_sealed"]) for s in without.json()["items"]] == [
        ("Anna Nowak", None)
    ]
    [item] = with_scope.json()["items"]
    assert "example.org" not in with_scope.content.decode()  # sealed: the server cannot read it
    assert item["sealed_to"] == key_fingerprint(partner_key.public_key)
    assert unseal(base64.b64decode(item["email_sealed"]), partner_key) == "anna@example.org"


def test_exports_through_the_api(client: Client, cast: Cast, campaign: Campaign) -> None:
    actions = client.get(
        "/api/v1/partner/exports/actions?format=csv", headers=bearer(cast, Scope.READ_TOTALS)
    )
    refused = client.get(
        "/api/v1/partner/exports/supporters", headers=bearer(cast, Scope.READ_TOTALS)
    )
    supporters = client.get(
        "/api/v1/partner/exports/supporters?format=xlsx",
        headers=bearer(cast, Scope.READ_SIGNATURES),
    )

    rows = list(csv.DictReader(io.StringIO(actions.content.decode("utf-8-sig"))))
    assert sorted(r["count"] for r in rows) == ["1", "120"]
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "this token lacks the signatures:read scope"},
    )
    assert supporters["Content-Type"].startswith("application/vnd.openxmlformats")
    assert supporters.content[:2] == b"PK"


def test_osdi_collections_through_the_api(
    client: Client, cast: Cast, campaign: Campaign, partner_key: PrivateKey
) -> None:
    auth = bearer(cast, Scope.READ_SIGNATURES)

    petitions = client.get("/api/v1/partner/osdi/petitions", headers=auth).json()
    signatures = client.get("/api/v1/partner/osdi/petitions/w4r/signatures", headers=auth).json()
    refused = client.get("/api/v1/partner/osdi/signatures", headers=bearer(cast, "totals:read"))

    assert [p["title"] for p in petitions["_embedded"]["osdi:petitions"]] == [campaign.title]
    [item] = signatures["_embedded"]["osdi:signatures"]
    sealed = item["_embedded"]["osdi:person"]["custom_fields"]["lantern_email_sealed"]
    assert unseal(base64.b64decode(sealed), partner_key) == "anna@example.org"
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "url",
    ["/api/v1/partner/actions", "/api/v1/partner/signatures", "/api/v1/partner/osdi/petitions"],
)
def test_partner_endpoints_without_a_token_are_a_json_401(client: Client, url: str) -> None:
    response = client.get(url)

    assert (response.status_code, response.json()) == (401, {"detail": "Unauthorized"})


def test_a_body_that_is_not_json_is_a_json_400(client: Client, campaign: Campaign) -> None:
    response = client.post(
        "/api/v1/campaigns/w4r/signatures", "{not json", content_type="application/json"
    )

    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_the_document_declares_every_status_with_a_schema(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                assert answer.get("content"), (method, path, status)
            if operation.get("security"):
                assert {"401", "403"} <= set(operation["responses"]), (method, path)


def test_lists_are_read_in_a_fixed_number_of_queries(
    client: Client,
    cast: Cast,
    campaign: Campaign,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(5):
        make_campaign(cases=[make_case(), make_case()], partners=[cast.partner])
    report(campaign, cast.partner, *[(f"bulk-{n}", "CZ", 1) for n in range(30)])
    for n in range(5):
        signer(campaign, cast.partner, f"Signer {n}", f"s{n}@example.org")
    auth = bearer(cast, Scope.READ_SIGNATURES)

    with django_assert_max_num_queries(3):  # cases, then their names
        assert len(client.get("/api/v1/cases").json()) == 11
    with django_assert_max_num_queries(3):  # campaigns, their cases, their partners
        assert len(client.get("/api/v1/campaigns").json()) == 6
    with django_assert_max_num_queries(5):  # the token (read, touched), the page, the count
        assert client.get("/api/v1/partner/actions", headers=auth).json()["count"] == 37
    with django_assert_max_num_queries(6):  # the same, and the audit entry
        assert client.get("/api/v1/partner/signatures", headers=auth).json()["count"] == 6


def test_a_letter_with_a_nul_character_is_refused_not_a_server_error(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    """PostgreSQL cannot store NUL in text; the API says 422 on either database."""
    case = campaign.cases.get()
    for field in ("case", "text", "author_name"):
        body = {"case": case.slug, "text": "Hello", "author_name": "Zofia", "author_country": "PL"}
        body[field] += "\x00"
        response = client.post(
            f"/api/v1/campaigns/{campaign.slug}/letters",
            body,
            content_type="application/json",
            headers=bearer(cast, Scope.SUBMIT_LETTERS),
        )
        assert response.status_code == 422, field
    assert not Letter.objects.exists()
