"""The campaign page in Debian's chromium: signing by keyboard labels, and the live counter.

The live server serves the pages and the static files (counter.js) from the apps' folders.
Every test checks that the page loaded cleanly: no console error, no uncaught exception, no
failed or unexpected error response, and no request to any host but the live server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.templatetags.static import static
from django.urls import reverse
from playwright.sync_api import (
    ConsoleMessage,
    Error,
    Locator,
    Page,
    Request,
    Response,
    expect,
    sync_playwright,
)

from actions.tallies import read_totals
from campaigns.models import Campaign
from lantern.testing import CHROMIUM_ARGS, CSP_REPORTER, make_campaign
from petitions.models import Signature
from petitions.services import SignatureInput, sign_petition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The session's live server builds its WhiteNoise before conftest points WhiteNoise at
    # the apps' folders, so it warns that STATIC_ROOT (filled by collectstatic) is missing.
    # The live server's own static handler serves counter.js from the apps' folders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"
LIVE_UPDATE_TIMEOUT_MS = 10_000
# Chromium asks every site for /favicon.ico on its own; Lantern has none, and that 404 is
# the browser's doing, not the page's.
BROWSER_OWN = "/favicon.ico"
HTTP_STATUS_LINE = "Failed to load resource: the server responded with a status of"


@dataclass
class Visit:
    """One browser tab on the live server, and what it asked for and complained about."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    responses: list[tuple[str, str, int]] = field(default_factory=list)  # method, path, status
    problems: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        self.page.goto(self.origin + path)

    def assert_clean(self, *, expected_errors: tuple[tuple[str, str, int], ...] = ()) -> None:
        """Nothing went wrong on the page, counter.js was served, and no third party was asked."""
        assert self.problems == []
        errors = [r for r in self.responses if r[2] >= 400 and r not in expected_errors]
        assert errors == []
        assert ("GET", static("lantern/counter.js"), 200) in self.responses
        strangers = [url for url in self.requests if _origin(url) != self.origin]
        assert strangers == []


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def visit(
    live_server: Any, chromium: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Visit]:
    # Playwright's sync API runs an event loop in this thread; the test still talks to the
    # database synchronously, which Django refuses under a running loop unless told.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.COUNTER_REFRESH_SECONDS = 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(CSP_REPORTER)  # a CSP violation is a console error
            page.set_default_timeout(LIVE_UPDATE_TIMEOUT_MS)
            tab = Visit(page=page, origin=live_server.url)

            def on_console(message: ConsoleMessage) -> None:
                # An error status is judged on the responses (where one may be expected);
                # Chromium's console line about it would only say the same again.
                if message.type == "error" and not message.text.startswith(HTTP_STATUS_LINE):
                    tab.problems.append(f"console: {message.text} ({message.location['url']})")

            def on_page_error(error: Error) -> None:
                tab.problems.append(f"uncaught: {error}")

            def on_request_failed(request: Request) -> None:
                # A counter poll in flight when the visitor leaves the page is cut off.
                if (request.resource_type, request.failure) == ("fetch", "net::ERR_ABORTED"):
                    return
                tab.problems.append(f"failed: {request.url} {request.failure}")

            def on_response(response: Response) -> None:
                path = urlsplit(response.url).path
                if path != BROWSER_OWN:
                    tab.responses.append((response.request.method, path, response.status))

            page.on("console", on_console)
            page.on("pageerror", on_page_error)
            page.on("requestfailed", on_request_failed)
            page.on("request", lambda request: tab.requests.append(request.url))
            page.on("response", on_response)
            yield tab
        finally:
            # While Playwright's loop runs, asgiref hands this thread other database
            # connections than pytest-django's; close them, or PostgreSQL cannot drop the
            # test database at the end ("is being accessed by other users").
            connections.close_all()
            browser.close()


@pytest.fixture
def campaign() -> Campaign:
    return make_campaign(requires_confirmation=False, title="Write for Rights")


def campaign_path(campaign: Campaign) -> str:
    return reverse("campaigns:detail", args=[campaign.slug])


def counter_total(page: Page) -> Locator:
    return page.locator("[data-counter-total]")


def fill_sign_form(page: Page, *, email: str) -> None:
    page.get_by_label("Your name", exact=True).fill("Anna Nowak")
    page.get_by_label("My initials only", exact=True).check()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Country", exact=True).select_option(label="Poland")
    page.get_by_label("City", exact=True).fill("Warsaw")
    page.get_by_label("Put my name on the letter delivered with the petition").check()
    page.get_by_role("button", name="Sign the petition").click()


def test_visitor_signs_with_initials_and_the_counter_then_shows_one(
    visit: Visit, campaign: Campaign
) -> None:
    page = visit.page
    visit.open(campaign_path(campaign))
    expect(counter_total(page)).to_have_text("0")

    fill_sign_form(page, email="anna@example.org")

    expect(page).to_have_url(re.compile(r"/signed/\?outcome=counted$"))
    expect(page.locator("#outcome")).to_contain_text("your signature is counted")
    signature = Signature.objects.get()
    assert (signature.shown_name, signature.country, signature.consent_letter) == (
        "A. N.",
        "PL",
        True,
    )
    with page.expect_response(lambda r: r.url.endswith("/totals")) as polled:
        page.get_by_role("link", name="Back to the campaign").click()
    assert polled.value.ok, "counter.js runs and polls the totals"
    expect(counter_total(page)).to_have_text("1")
    visit.assert_clean()


def test_counter_shows_signatures_from_elsewhere_without_a_reload(
    visit: Visit, campaign: Campaign
) -> None:
    page = visit.page
    visit.open(campaign_path(campaign))
    expect(counter_total(page)).to_have_text("0")
    expect(page.locator("[data-counter-list] li")).to_have_count(0)
    page.evaluate("window.sameDocument = true")

    sign_petition(campaign, SignatureInput(name="Kenji Sato", email="k@example.jp", country="JP"))
    sign_petition(campaign, SignatureInput(name="Anna Nowak", email="a@example.pl", country="PL"))

    expect(counter_total(page)).to_have_text("2", timeout=LIVE_UPDATE_TIMEOUT_MS)
    expect(page.locator("[data-counter-countries]")).to_have_text("2")
    expect(page.locator("[data-counter-list] li")).to_have_text(["Japan: 1", "Poland: 1"])
    assert page.evaluate("window.sameDocument") is True, "the page was not reloaded"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "campaign-live-counter.png", full_page=True)
    visit.assert_clean()


def test_invalid_email_is_shown_next_to_the_field_and_nothing_is_counted(
    visit: Visit, campaign: Campaign
) -> None:
    page = visit.page
    visit.open(campaign_path(campaign))

    fill_sign_form(page, email="anna@")

    email = page.get_by_label("Email", exact=True)
    expect(email).to_have_value("anna@")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(
        "Used only to count you once. Stored encrypted. Enter a valid email address."
    )
    expect(page.locator("#id_email ~ ul.errorlist")).to_have_text("Enter a valid email address.")
    expect(page.locator(".errorlist")).to_have_count(1)
    expect(page.get_by_label("Your name", exact=True)).to_have_value("Anna Nowak")
    expect(counter_total(page)).to_have_text("0")
    assert not Signature.objects.exists()
    assert read_totals(campaign.pk).total == 0
    sign_path = reverse("petitions:sign", args=[campaign.slug])
    visit.assert_clean(expected_errors=(("POST", sign_path, 400),))
