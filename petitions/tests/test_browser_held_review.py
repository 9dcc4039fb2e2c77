"""An organizer reviews held signatures in the admin, in Debian's chromium: signs in, filters
the held ones, approves them in bulk; the admin's pages break no rule of the CSP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from actions.tallies import read_totals
from conftest import PASSWORD, Cast
from lantern.testing import CHROMIUM_ARGS, make_campaign, watch_console
from petitions.models import Signature
from petitions.services import SignatureInput, sign_petition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def page(chromium: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Page, list[str]]]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.set_default_timeout(10_000)
            problems: list[str] = []
            watch_console(tab, problems)
            yield tab, problems
        finally:
            connections.close_all()
            browser.close()


def test_an_organizer_approves_held_signatures_in_bulk(
    page: tuple[Page, list[str]], live_server: Any, cast: Cast
) -> None:
    tab, problems = page
    campaign = make_campaign(requires_confirmation=False, title="Write for Rights")
    for n in range(3):
        data = SignatureInput(name=f"Held {n}", email=f"h{n}@example.org", country="PL")
        sign_petition(campaign, data, held=True)
    tab.goto(live_server.url + reverse("admin:petitions_signature_changelist") + "?held=yes")
    tab.get_by_label("Username").fill("organizer")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    expect(tab.locator("#changelist-filter").get_by_text("Held for review")).to_be_visible()
    tab.locator("#action-toggle").check()
    tab.locator("select[name=action]").select_option("approve_held")
    tab.get_by_role("button", name="Go").click()
    expect(tab.get_by_text("3 held signatures approved.")).to_be_visible()
    assert read_totals(campaign.pk).total == 3
    assert not Signature.objects.filter(held_for_review=True).exists()
    assert problems == []
