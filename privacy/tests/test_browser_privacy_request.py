"""The privacy request form in Debian's chromium, with JavaScript on: a clear error on a bad
address, the address kept in the field, and the "check your mailbox" page after a good one;
the whole link flow then works with the link from the real email. No third-party request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connections
from playwright.sync_api import Page, expect, sync_playwright

from conftest import SmtpServer
from lantern.testing import CHROMIUM_ARGS, make_campaign, run_task_worker
from petitions.models import Signature
from petitions.services import SignatureInput, sign_petition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"
TIMEOUT_MS = 15_000


@pytest.fixture
def page(live_server: Any, chromium: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.set_default_timeout(TIMEOUT_MS)
            origin = live_server.url
            strangers: list[str] = []
            tab.on(
                "request",
                lambda r: strangers.append(r.url) if not r.url.startswith(origin) else None,
            )
            tab.goto(origin + "/privacy/")
            yield tab
            assert strangers == []
        finally:
            connections.close_all()
            browser.close()


def test_a_supporter_asks_for_erasure_and_confirms_from_the_email(
    page: Page, smtp_server: SmtpServer
) -> None:
    campaign = make_campaign(slug="w4r")
    sign_petition(campaign, SignatureInput(name="Zofia Nowak", email="z@example.org", country="PL"))

    page.get_by_label("Your email address").fill("z@example")
    page.get_by_label("Erase my name, city and address").check()
    page.get_by_role("button", name="Email me the link").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(page.get_by_label("Your email address")).to_have_value("z@example")
    expect(page.get_by_label("Erase my name, city and address")).to_be_checked()
    page.get_by_label("Your email address").fill("z@example.org")
    page.get_by_role("button", name="Email me the link").click()
    expect(page.get_by_role("heading", name="Check your mailbox")).to_be_visible()
    run_task_worker()
    [message] = smtp_server.messages
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    match = re.search(r"https?://\S+/privacy/confirm/\S+/", payload.decode())
    assert match is not None
    page.goto(page.url.split("/privacy/")[0] + urlsplit(match.group(0)).path)
    page.get_by_role("button", name="Erase my data").click()

    expect(page.get_by_text("Erased: 1 record about your address.")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "privacy-erased.png"), full_page=True)
    assert Signature.objects.get().name == ""
