"""Writing to someone who gets few letters, and sending a drive's card, in Debian's chromium:
by labels and buttons, the page asking no other host, screenshots in test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Browser, expect, sync_playwright

from campaigns.models import Campaign
from cases.models import Case, Facility
from lantern.testing import CHROMIUM_ARGS, WatchedTab, watch
from letters.models import Letter
from registry.models import Assignment, Drive, Source
from registry.tests.conftest import add_prisoner

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"
GREETING = "З Новым годам! Хай сонца загляне ў Ваша акно."


@pytest.fixture
def browser(chromium: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            connections.close_all()
            launched.close()


def tab(browser: Browser, live_server: Any) -> WatchedTab:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)  # a loaded machine
    return watch(page, live_server.url)


@pytest.fixture
def yanka(source: Source, colony: Facility) -> Case:
    return add_prisoner(source, colony, key="yanka-prykladny", name="Yanka Prykladny")


def test_a_supporter_writes_to_someone_who_gets_few_letters(
    browser: Browser, live_server: Any, marathon: Campaign, yanka: Case
) -> None:
    watched = tab(browser, live_server)
    page = watched.page
    page.goto(live_server.url + reverse("campaigns:detail", args=[marathon.slug]))
    page.get_by_role("link", name="Write to someone who gets few letters").click()

    page.get_by_label("Where do you write from?").select_option(label="Poland")
    page.get_by_role("button", name="Find someone to write to").click()

    expect(page.get_by_role("heading", name="Write to Yanka Prykladny")).to_be_visible()
    expect(page.locator("#offer")).to_contain_text("Chosen for you among 1 people")
    expect(page.get_by_label("Your country")).to_have_value("PL")
    page.get_by_label("Your letter").fill("Дарагі Янка! Пішу Вам з Варшавы. У нас вясна.")
    page.get_by_label("Your name, as it is signed").fill("Zofia")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "registry-write-to-someone.png"), full_page=True)
    page.get_by_role("button", name="Send my letter").click()

    expect(page).to_have_url(re.compile(r"/write/sent/"))
    expect(page.get_by_role("status")).to_contain_text("Your letter counts as an action")
    letter = Letter.objects.get()
    assert (letter.case, letter.author_country) == (yanka, "PL")
    watched.assert_clean()


def test_a_supporter_sends_a_drives_card_and_sees_the_reach_grow(
    browser: Browser, live_server: Any, source: Source, colony: Facility, yanka: Case, drive: Drive
) -> None:
    add_prisoner(source, colony, key="alena", name="Alena Vydumanaya")
    campaign = drive.campaign
    watched = tab(browser, live_server)
    page = watched.page
    page.goto(live_server.url + reverse("campaigns:detail", args=[campaign.slug]))
    page.get_by_role("link", name="New Year greetings, posted by 21 December").click()

    reach = page.locator("#reach")
    expect(reach).to_contain_text("0 people have a card.")
    expect(reach).to_contain_text("2 are still without one.")
    page.get_by_label("Your greeting").fill(GREETING)
    expect(page.locator("[data-count-for]")).to_have_text(f"{len(GREETING)} / 200")
    page.get_by_label("Your name, as it is signed").fill("Anna Lindqvist")
    page.get_by_label("Your country").select_option(label="Sweden")
    page.screenshot(path=str(ARTIFACTS / "registry-drive.png"), full_page=True)
    page.get_by_role("button", name="Send my card").click()

    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Your card goes to \w+"))
    assert Assignment.objects.get(letter=Letter.objects.get()).drive == drive
    page.get_by_role("link", name="Write another card").click()
    expect(reach).to_contain_text("1 person has a card.")
    expect(reach).to_contain_text("1 is still without one.")
    watched.assert_clean()
