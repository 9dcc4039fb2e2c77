"""Every showing or export of supporters' contact data leaves an audit entry: who (a user or
a token), which partner, what, and how many addresses."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from lantern.testing import make_campaign
from partners.models import ApiToken, Membership, PersonalDataAccess
from partners.services import create_api_token
from partners.tests.helpers import member, signer

pytestmark = pytest.mark.django_db


@pytest.fixture
def signers(cast: Cast) -> None:
    campaign = make_campaign(slug="w4r", partners=[cast.partner])
    signer(campaign, cast.partner, "Anna Nowak", "anna@example.org")
    signer(campaign, cast.partner, "Jan Kowalski", "jan@example.org")


def log() -> list[tuple[str, int, str | None, str | None]]:
    return [
        (a.kind, a.records, a.user.username if a.user else None, a.token.name if a.token else None)
        for a in PersonalDataAccess.objects.order_by("pk")
    ]


def test_pages_and_exports_in_the_partner_area_are_logged(
    client: Client, cast: Cast, signers: None
) -> None:
    client.force_login(member(cast.partner, Membership.Role.PARTNER_ADMIN, username="anna-admin"))
    slug = cast.partner.slug

    client.get(reverse("partners:supporters", args=[slug]))
    client.get(reverse("partners:export_supporters", args=[slug, "xlsx"]))
    client.get(reverse("partners:export_osdi", args=[slug]))
    client.get(reverse("partners:export_actions", args=[slug, "csv"]))  # no contact data

    assert log() == [
        ("supporters_page", 2, "anna-admin", None),
        ("supporters_export", 2, "anna-admin", None),
        ("osdi_export", 2, "anna-admin", None),
    ]


def test_api_reads_with_email_are_logged_with_the_token(
    client: Client, cast: Cast, signers: None
) -> None:
    token, plain = create_api_token(cast.partner, "CRM", [ApiToken.Scope.READ_SIGNATURES])
    _, no_email = create_api_token(cast.partner, "counts", [ApiToken.Scope.READ_TOTALS])

    client.get("/api/v1/partner/signatures", headers={"Authorization": f"Bearer {no_email}"})
    client.get("/api/v1/partner/signatures", headers={"Authorization": f"Bearer {plain}"})
    client.get("/api/v1/partner/exports/supporters", headers={"Authorization": f"Bearer {plain}"})
    client.get("/api/v1/partner/osdi/signatures", headers={"Authorization": f"Bearer {plain}"})

    assert log() == [
        ("api_signatures", 2, None, "CRM"),
        ("supporters_export", 2, None, "CRM"),
        ("osdi_export", 2, None, "CRM"),
    ]


def test_a_refused_request_leaves_no_entry(client: Client, cast: Cast, signers: None) -> None:
    client.force_login(cast.reporter)

    response = client.get(reverse("partners:export_supporters", args=[cast.partner.slug, "csv"]))

    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()
