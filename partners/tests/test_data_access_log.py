"""Every showing or export of supporters' data in the partner area and its API leaves an entry
in the one audit log: who (a user or a token), which partner, what, and how many records."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from conftest import Cast
from lantern.testing import make_campaign
from partners.models import ApiToken, Membership
from partners.services import create_api_token
from partners.tests.helpers import member, signer

pytestmark = pytest.mark.django_db


@pytest.fixture
def signers(cast: Cast) -> None:
    campaign = make_campaign(slug="w4r", partners=[cast.partner])
    signer(campaign, cast.partner, "Anna Nowak", "anna@example.org")
    signer(campaign, cast.partner, "Jan Kowalski", "jan@example.org")


DATA = [AuditEntry.Action.DATA_VIEWED, AuditEntry.Action.DATA_EXPORTED]


def log() -> list[tuple[str, str, int, str, str]]:
    entries = AuditEntry.objects.filter(action__in=DATA).order_by("pk")
    return [(a.action, a.detail, a.records, a.actor, a.partner) for a in entries]


def test_pages_and_exports_in_the_partner_area_are_logged(
    client: Client, cast: Cast, signers: None
) -> None:
    client.force_login(member(cast.partner, Membership.Role.PARTNER_ADMIN, username="anna-admin"))
    slug = cast.partner.slug

    client.get(reverse("partners:supporters", args=[slug]))
    client.get(reverse("partners:export_supporters", args=[slug, "xlsx"]))
    client.get(reverse("partners:export_osdi", args=[slug]))
    client.get(reverse("partners:export_actions", args=[slug, "csv"]))  # no contact data

    partner = cast.partner.name
    assert log() == [
        ("data.viewed", "supporters page", 2, "anna-admin", partner),
        ("data.exported", "supporters export", 2, "anna-admin", partner),
        ("data.exported", "OSDI export", 2, "anna-admin", partner),
    ]


def test_api_reads_are_logged_with_the_token(client: Client, cast: Cast, signers: None) -> None:
    token, plain = create_api_token(cast.partner, "CRM", [ApiToken.Scope.READ_SIGNATURES])
    counts, no_email = create_api_token(cast.partner, "counts", [ApiToken.Scope.READ_TOTALS])

    client.get("/api/v1/partner/signatures", headers={"Authorization": f"Bearer {no_email}"})
    client.get("/api/v1/partner/signatures", headers={"Authorization": f"Bearer {plain}"})
    client.get("/api/v1/partner/exports/supporters", headers={"Authorization": f"Bearer {plain}"})
    client.get("/api/v1/partner/osdi/signatures", headers={"Authorization": f"Bearer {plain}"})

    crm = f"API token CRM ({token.prefix}…)"
    partner = cast.partner.name
    assert log() == [
        ("data.viewed", "API: signatures", 2, f"API token counts ({counts.prefix}…)", partner),
        ("data.viewed", "API: signatures", 2, crm, partner),
        ("data.exported", "supporters export", 2, crm, partner),
        ("data.exported", "OSDI export", 2, crm, partner),
    ]


def test_a_refused_request_leaves_no_entry(client: Client, cast: Cast, signers: None) -> None:
    client.force_login(cast.reporter)

    response = client.get(reverse("partners:export_supporters", args=[cast.partner.slug, "csv"]))

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action__in=DATA).exists()
