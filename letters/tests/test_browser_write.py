"""Writing a letter from the campaign page in Debian's chromium, by labels and the keyboard.

The page must load cleanly: no console error, no uncaught exception, no error response, and
no request to any host but the live server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.templatetags.static import static
from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from actions.models import Action
from campaigns.models import Campaign
from cases.models import Case
from lantern.testing import CHROMIUM_ARGS, CSP_REPORTER
from letters.models import Letter, LetterTemplate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

# Judged on the responses instead (Chromium asks for /favicon.ico on its own).
HTTP_STATUS_LINE = "Failed to load resource: the server responded with a status of"
TEMPLATE = "Дорогой Алесь! Пишем вам из Варшавы. У нас весна."


class Tab:
    def __init__(self, page: Page, origin: str) -> None:
        self.page, self.origin = page, origin
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.responses: list[tuple[str, int]] = []


@pytest.fixture
def tab(live_server: Any, chromium: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(CSP_REPORTER)  # a CSP violation is a console error
            page.set_default_timeout(10_000)
            tab = Tab(page, live_server.url)
            page.on("request", lambda r: tab.requests.append(r.url))
            page.on("pageerror", lambda e: tab.problems.append(f"uncaught: {e}"))
            page.on(
                "console",
                lambda m: (
                    tab.problems.append(m.text)
                    if m.type == "error" and not m.text.startswith(HTTP_STATUS_LINE)
                    else None
                ),
            )
            page.on(
                "response",
                lambda r: tab.responses.append((urlsplit(r.url).path, r.status)),
            )
            yield tab
        finally:
            connections.close_all()
            browser.close()


def test_a_supporter_writes_a_letter_from_the_campaign_page(
    tab: Tab, campaign: Campaign, prisoner: Case
) -> None:
    facility = prisoner.current_address().facility  # type: ignore[union-attr]
    LetterTemplate.objects.create(
        facility=facility, language="ru", title="Весенний привет", text=TEMPLATE
    )
    page = tab.page
    page.goto(tab.origin + reverse("campaigns:detail", args=[campaign.slug]))
    page.get_by_role("link", name="Write to Ales Bialiatski").click()

    expect(page.get_by_text("Write about books, nature and your town.")).to_be_visible()
    page.get_by_role("button", name="Весенний привет").click()
    text = page.get_by_label("Your letter")
    expect(text).to_have_value(TEMPLATE)
    text.press("End")
    text.press_sequentially(" Обнимаем!")
    expect(page.locator("[data-count-for]")).to_have_text(f"{len(TEMPLATE) + 10} / 3000")
    page.get_by_label("Postcard").check()
    page.get_by_label("Your name, as it is signed").fill("Zofia")
    page.get_by_label("Your country").select_option(label="Poland")
    page.get_by_role("button", name="Send my letter").click()

    expect(page).to_have_url(re.compile(r"/write/sent/"))
    expect(page.get_by_role("status")).to_contain_text("Your postcard counts as an action")
    letter = Letter.objects.get()
    assert (letter.text, letter.kind, letter.author_country) == (
        TEMPLATE + " Обнимаем!",
        "postcard",
        "PL",
    )
    assert Action.objects.get().action_type == "card"
    assert tab.problems == []
    assert (static("letters/write.js"), 200) in tab.responses
    assert [r for r in tab.responses if r[1] >= 400 and r[0] != "/favicon.ico"] == []
    assert [u for u in tab.requests if not u.startswith(tab.origin)] == []
