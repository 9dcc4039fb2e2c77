"""The server's code paths never load a private key. The suite's autouse guard
(`_server_holds_only_public_keys` in conftest.py) makes every test fail if one is made; this
test shows the guard bites, and walks the paths that used to unseal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast, SmtpServer
from lantern.sealing import parse_private_key
from lantern.testing import make_campaign, run_task_worker
from letters.services import reject_letter
from partners.models import ApiToken, Membership
from partners.services import create_api_token
from partners.tests.helpers import member, signer
from partners.webhooks import register_webhook
from privacy.tests.helpers import write_with_contact

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_guard_refuses_a_private_key() -> None:
    with pytest.raises(AssertionError, match="private key was loaded"):
        parse_private_key("A" * 43 + "=")


def test_emails_partner_pages_exports_and_the_api_run_on_public_keys_only(
    client: Client, cast: Cast, smtp_server: SmtpServer, partner_key: object, settings: object
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # type: ignore[attr-defined]
    campaign = make_campaign(slug="w4r", partners=[cast.partner], requires_confirmation=True)
    register_webhook(cast.partner, "http://127.0.0.1:9/hook")
    signer(campaign, cast.partner, "Anna Nowak", "anna@example.org")
    letter = write_with_contact(campaign)
    reject_letter(letter, "Names the guards.", None)
    run_task_worker()  # confirmation and rejection emails
    client.force_login(member(cast.partner, Membership.Role.PARTNER_ADMIN))
    slug = cast.partner.slug
    pages = [
        reverse("partners:supporters", args=[slug]),
        reverse("partners:export_supporters", args=[slug, "csv"]),
        reverse("partners:export_osdi", args=[slug]),
    ]
    _, plain = create_api_token(cast.partner, "CRM", [ApiToken.Scope.READ_SIGNATURES])
    api = ["/api/v1/partner/signatures", "/api/v1/partner/osdi/signatures"]

    statuses = [client.get(url).status_code for url in pages]
    statuses += [
        client.get(url, headers={"Authorization": f"Bearer {plain}"}).status_code for url in api
    ]

    assert statuses == [200] * 5
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "anna@example.org",
        "zofia@example.org",
    ]
