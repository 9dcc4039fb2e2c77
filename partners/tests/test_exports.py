"""A partner's data, out: its own actions and its consenting supporters as CSV and XLSX, and
its petitions and signatures in the OSDI shape."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from nacl.public import PrivateKey
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from campaigns.models import Campaign
from conftest import Cast
from lantern.sealing import key_fingerprint, unseal
from lantern.testing import make_campaign, make_partner
from partners import exports
from partners.models import Membership
from partners.tests.helpers import member, report, signer

pytestmark = pytest.mark.django_db


def opened(sealed: str, key: PrivateKey) -> str:
    return unseal(base64.b64decode(sealed), key)


@pytest.fixture
def campaign(cast: Cast, partner_key: PrivateKey) -> Campaign:
    other = make_partner(slug="other")
    campaign = make_campaign(
        slug="w4r", title="Write for Rights", partners=[cast.partner, other],
        petition_target="The President",
    )  # fmt: skip
    report(campaign, cast.partner, ("ours-1", "PL", 120), ("ours-2", "JP", 1000))
    report(campaign, other, ("theirs-1", "PL", 5))
    signer(campaign, cast.partner, "Anna Nowak", "Anna.Nowak@example.org")
    signer(campaign, cast.partner, "=HYPERLINK(1)", "formula@example.org")
    signer(campaign, cast.partner, "Quiet Signer", "quiet@example.org", contact=False)
    signer(campaign, other, "Their Signer", "theirs@example.org")
    signer(campaign, None, "Direct Signer", "direct@example.org")
    return campaign


@pytest.fixture
def admin(client: Client, cast: Cast) -> Client:
    client.force_login(member(cast.partner, Membership.Role.PARTNER_ADMIN))
    return client


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_actions_csv_holds_only_the_partners_own_actions(
    admin: Client, cast: Cast, campaign: Campaign
) -> None:
    response = admin.get(reverse("partners:export_actions", args=[cast.partner.slug, "csv"]))

    assert response["Content-Type"].startswith("text/csv")
    assert "amnesty-poland-actions.csv" in response["Content-Disposition"]
    rows = read_csv(response.content)
    assert sorted((r["action_type"], r["external_id"], r["count"]) for r in rows) == [
        ("letter", "ours-1", "120"),
        ("letter", "ours-2", "1000"),
        *[("signature", "", "1")] * 3,  # the three who signed through the partner
    ]
    assert {r["campaign"] for r in rows} == {"w4r"}


def test_supporters_csv_holds_consenting_signers_with_their_email_sealed_to_the_partner(
    admin: Client, cast: Cast, campaign: Campaign, partner_key: PrivateKey
) -> None:
    response = admin.get(reverse("partners:export_supporters", args=[cast.partner.slug, "csv"]))

    rows = read_csv(response.content)
    assert b"example.org" not in response.content  # the server cannot read the addresses
    assert {r["sealed_to"] for r in rows} == {key_fingerprint(partner_key.public_key)}
    assert sorted((r["name"], opened(r["email_sealed"], partner_key)) for r in rows) == [
        ("'=HYPERLINK(1)", "formula@example.org"),  # kept as text, never run as a formula
        ("Anna Nowak", "anna.nowak@example.org"),
    ]


def test_xlsx_exports_read_back_with_the_same_rows(
    admin: Client, cast: Cast, campaign: Campaign, partner_key: PrivateKey
) -> None:
    for view, expected in [("export_actions", 5), ("export_supporters", 2)]:
        response = admin.get(reverse(f"partners:{view}", args=[cast.partner.slug, "xlsx"]))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == 1 + expected
    header, *data = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("name", "email_sealed", "sealed_to")
    names = [(row[0], opened(str(row[1]), partner_key)) for row in data]
    assert ("Anna Nowak", "anna.nowak@example.org") in names


def test_an_unknown_format_is_404(admin: Client, cast: Cast, campaign: Campaign) -> None:
    url = reverse("partners:export_actions", args=[cast.partner.slug, "pdf"])

    assert admin.get(url).status_code == 404


# The session and user (2), the site's navigation for the signed-in user (up to 2), the partner
# and the user's roles in it (2), then the page: a count and the rows (2), an audit entry (1).
QUERIES = 9


def test_the_actions_page_is_paginated_in_few_queries(
    admin: Client,
    cast: Cast,
    campaign: Campaign,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    report(campaign, cast.partner, *[(f"bulk-{n}", "CZ", 1) for n in range(60)])
    url = reverse("partners:actions", args=[cast.partner.slug])

    with django_assert_max_num_queries(QUERIES):
        first = admin.get(url)
    second = admin.get(url, {"page": 2})

    assert first.status_code == 200
    assert first.content.decode().count("<tr>") == 1 + 50
    assert second.content.decode().count("<tr>") == 1 + 15  # 60 + 2 letters + 3 signatures
    assert "theirs-1" not in first.content.decode() + second.content.decode()


def test_the_supporters_page_lists_consenting_signers_only(
    admin: Client,
    cast: Cast,
    campaign: Campaign,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(QUERIES):
        page = admin.get(reverse("partners:supporters", args=[cast.partner.slug])).content.decode()

    assert "Anna Nowak" in page
    assert "example.org" not in page  # addresses are never shown: the server cannot read them
    assert "sealed to your key" in page
    for absent in ["Quiet Signer", "Their Signer", "Direct Signer"]:
        assert absent not in page


def test_the_dashboard_counts_the_partners_own_actions(
    admin: Client, cast: Cast, campaign: Campaign
) -> None:
    page = admin.get(reverse("partners:dashboard", args=[cast.partner.slug])).content.decode()

    assert "Write for Rights" in page
    assert ">1123<" in page  # 120 + 1000 letters and 3 signatures
    assert ">1129<" not in page  # the other partner's 5 letters and 1 signature are not ours


# --- OSDI ----------------------------------------------------------------------------------

OSDI_PETITION_FIELDS = {
    "identifiers", "origin_system", "created_date", "modified_date", "title", "description",
    "petition_text", "total_signatures", "target", "_links",
}  # fmt: skip
OSDI_SIGNATURE_FIELDS = {
    "identifiers", "origin_system", "created_date", "modified_date", "_links", "_embedded",
}  # fmt: skip
OSDI_PERSON_FIELDS = {
    "identifiers", "given_name", "family_name", "email_addresses", "postal_addresses",
}  # fmt: skip


def test_osdi_petitions_and_signatures_have_the_osdi_shape(
    cast: Cast, campaign: Campaign, partner_key: PrivateKey
) -> None:
    base = "https://lantern.example.org/api/v1/partner/osdi"

    petitions = exports.osdi_petitions(cast.partner, base)
    signatures = exports.osdi_signatures(cast.partner, base, campaign)

    assert petitions["total_records"] == 1
    assert petitions["_links"]["self"]["href"] == f"{base}/petitions"
    [petition] = petitions["_embedded"]["osdi:petitions"]
    assert set(petition) >= OSDI_PETITION_FIELDS
    assert petition["title"] == "Write for Rights"
    assert petition["target"] == [{"name": "The President"}]
    assert petition["total_signatures"] == 2
    assert petition["_links"]["osdi:signatures"]["href"] == f"{base}/petitions/w4r/signatures"
    assert signatures["total_records"] == 2
    items = signatures["_embedded"]["osdi:signatures"]
    for item in items:
        assert set(item) >= OSDI_SIGNATURE_FIELDS
        assert item["_links"]["osdi:petition"]["href"] == f"{base}/petitions/w4r"
        person = item["_embedded"]["osdi:person"]
        assert set(person) >= OSDI_PERSON_FIELDS
        assert person["email_addresses"] == []  # the server cannot read them
        assert person["postal_addresses"][0]["country"] == "PL"
    anna = next(i for i in items if i["_embedded"]["osdi:person"]["given_name"] == "Anna")
    person = anna["_embedded"]["osdi:person"]
    assert person["family_name"] == "Nowak"
    sealed = person["custom_fields"]["lantern_email_sealed"]
    assert opened(sealed, partner_key) == "anna.nowak@example.org"
    assert person["custom_fields"]["lantern_sealed_to"] == key_fingerprint(partner_key.public_key)


def test_the_osdi_download_holds_both_collections(
    admin: Client, cast: Cast, campaign: Campaign, partner_key: PrivateKey
) -> None:
    response = admin.get(reverse("partners:export_osdi", args=[cast.partner.slug]))

    document = json.loads(response.content)
    assert response["Content-Type"].startswith("application/hal+json")
    assert len(document["_embedded"]["osdi:petitions"]) == 1
    emails = {
        opened(s["_embedded"]["osdi:person"]["custom_fields"]["lantern_email_sealed"], partner_key)
        for s in document["_embedded"]["osdi:signatures"]
    }
    assert emails == {"anna.nowak@example.org", "formula@example.org"}
