"""The results page in Debian's chromium, at phone and desktop width, with screenshots.

Checks what a person would: the page loads cleanly and asks no other host for anything, the
map, legend, timeline and photos are there and drawn, nothing runs off the side of a phone,
and the downloads are reachable by keyboard. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from campaigns.models import Campaign
from events.demo import load_demo_events
from lantern.testing import CHROMIUM_ARGS, watch
from lantern.testing import WatchedTab as Tab

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The live server's WhiteNoise warns that STATIC_ROOT is empty; the live server's own
    # static handler serves the apps' files.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser_tab(live_server: Any, chromium: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)

        def open_tab(viewport: dict[str, int]) -> Tab:
            page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]  # a ViewportSize
            return watch(page, live_server.url)

        try:
            yield open_tab
        finally:
            connections.close_all()  # PostgreSQL cannot drop a test database still in use
            browser.close()


def load_photos(page: Page) -> None:
    """Scroll each lazily loaded photo into view and wait until it is decoded."""
    photos = page.locator("#gallery img")
    for index in range(photos.count()):
        photos.nth(index).scroll_into_view_if_needed()
        photos.nth(index).evaluate("img => img.decode()")
        assert photos.nth(index).evaluate("img => img.naturalWidth") == 1200
    page.evaluate("window.scrollTo(0, 0)")


@pytest.fixture
def results_path(marathon: Campaign) -> str:
    load_demo_events(marathon)
    return reverse("reports:results", args=[marathon.slug])


def test_results_on_a_desktop_show_map_legend_timeline_and_photos(
    browser_tab: Any, results_path: str
) -> None:
    tab: Tab = browser_tab(DESKTOP)
    page = tab.page
    page.goto(tab.origin + results_path)
    expect(page.locator("[data-total]")).to_have_text("32,395")
    world = page.get_by_role("img", name="Actions per country")
    expect(world).to_be_visible()
    box = world.bounding_box()
    assert box is not None and box["width"] > 900
    expect(page.locator('path[data-country="PL"] > title')).to_have_text("Poland: 31,394 actions")
    expect(page.locator(".legend li")).to_have_count(6)
    expect(page.get_by_role("img", name="Actions per day")).to_be_visible()
    expect(page.locator("#peak")).to_contain_text("December 10, 2012")
    photos = page.locator("#gallery img")
    expect(photos).to_have_count(8)
    expect(page.locator("#gallery figcaption").first).to_have_text(
        "More than 1,000 lanterns lit in Japan"
    )
    load_photos(page)
    page.screenshot(path=str(ARTIFACTS / "results-desktop.png"), full_page=True)
    tab.assert_clean()


def test_results_on_a_phone_fit_the_screen_and_downloads_take_the_keyboard(
    browser_tab: Any, results_path: str
) -> None:
    tab: Tab = browser_tab(PHONE)
    page = tab.page
    page.goto(tab.origin + results_path)
    expect(page.locator("#summary")).to_contain_text("All in all, 32,395 actions")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    world = page.get_by_role("img", name="Actions per country").bounding_box()
    assert world is not None and world["width"] <= PHONE["width"]
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "PDF report":
            break
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == results_path.rstrip("/") + ".pdf"
    load_photos(page)
    page.screenshot(path=str(ARTIFACTS / "results-phone.png"), full_page=True)
    tab.assert_clean()
