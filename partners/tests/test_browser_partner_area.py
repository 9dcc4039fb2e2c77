"""The partner area in Debian's chromium: a partner admin signs in, creates an API token by
its labels, copies it once, and revokes it; the pages ask no host but Lantern's."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect, sync_playwright

from conftest import PASSWORD, Cast
from lantern.testing import make_campaign, watch_console
from partners.models import ApiToken, Membership
from partners.services import authenticate_token
from partners.tests.helpers import member, report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"


def test_a_partner_admin_creates_and_revokes_a_token_in_the_browser(
    live_server: Any, chromium: str, cast: Cast
) -> None:
    admin = member(cast.partner, Membership.Role.PARTNER_ADMIN, username="anna")
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    report(make_campaign(title="Write for Rights", partners=[cast.partner]), cast.partner,
           ("evt-1", "PL", 120))  # fmt: skip
    origin = live_server.url
    hosts: set[str] = set()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--headless=new", "--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
        problems: list[str] = []
        watch_console(page, problems)  # CSP violations, console errors, exceptions
        page.goto(f"{origin}/partners/")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        page.get_by_label("Username").fill("anna")
        page.get_by_label("Password").fill(PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Campaigns")).to_be_visible()
        expect(page.get_by_role("cell", name="Write for Rights")).to_be_visible()

        page.get_by_role("link", name="API tokens").click()
        page.get_by_label("Name").fill("CRM sync")
        page.get_by_label("Record actions").check()
        page.get_by_label("Submit letters").check()
        page.get_by_role("button", name="Create token").click()
        plain = page.get_by_label("Token").input_value()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "partner-tokens-phone.png"), full_page=True)
        assert plain.startswith("lnt_")

        page.get_by_role("button", name="Revoke").click()
        expect(page.get_by_text("revoked").first).to_be_visible()
        assert plain not in page.content()
        browser.close()
    assert problems == []

    token = ApiToken.objects.get()  # the database is read once the browser is closed
    assert sorted(token.scopes) == ["actions:write", "letters:write"]
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()  # the shown one
    assert token.revoked_at is not None
    assert authenticate_token(plain) is None
    assert hosts == {urlsplit(origin).netloc}
