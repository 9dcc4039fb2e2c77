"""The widget on a partner's page served from another origin, in Debian's chromium.

A second small HTTP server on loopback (another port, so another origin) serves the partner's
page with the one-line snippet. The visitor signs inside the widget; the signature counts for
the partner; the counter moves; the page's styles and the widget's do not mix; and the browser
asks nothing of any host but the partner's page server and the Lantern live server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import ConsoleMessage, Error, Page, Request, expect, sync_playwright

from actions.models import Action
from actions.types import Source
from campaigns.models import Campaign
from lantern.countries import country_name
from lantern.testing import CHROMIUM_ARGS, CSP_REPORTER, make_campaign, make_partner
from partners.models import Partner
from petitions.forms import SignForm
from petitions.models import Signature
from petitions.services import SignatureInput, sign_petition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"
TIMEOUT_MS = 10_000
ACCENT = "rgb(0, 102, 51)"
HOST_RED = "rgb(255, 0, 0)"
PARTNER_PAGE = """<!doctype html>
<html lang="pl">
<head>
<meta charset="utf-8">
<title>Amnesty International Polska: grupa lokalna</title>
<style>
  body { font-family: serif; color: rgb(200, 0, 0); }
  button, label { background: rgb(255, 0, 0); font-size: 40px; }
  [data-lantern-widget] { --lantern-accent: rgb(0, 102, 51); }
</style>
</head>
<body>
<h1>Maraton pisania listów</h1>
<button type="button" id="own">Nasz przycisk</button>
<div data-lantern-widget="CAMPAIGN"></div>
<script src="SCRIPT" async></script>
</body>
</html>
"""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class PartnerSite:
    """The partner's own web server: one page with the snippet, on its own origin."""

    url: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def partner() -> Partner:
    return make_partner(slug="amnesty-poland", name="Amnesty International Poland")


@pytest.fixture
def campaign(partner: Partner) -> Campaign:
    return make_campaign(requires_confirmation=False, title="Write for Rights", partners=[partner])


@pytest.fixture
def partner_site(live_server: Any, campaign: Campaign, partner: Partner) -> Iterator[PartnerSite]:
    script = live_server.url + reverse("widgets:script", args=[campaign.slug])
    page = PARTNER_PAGE.replace("CAMPAIGN", campaign.slug).replace(
        "SCRIPT", f"{script}?partner={partner.slug}"
    )
    body = page.encode("utf-8")
    site = PartnerSite(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server interface
            site.requests.append(self.path)
            if self.path != "/":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - its signature
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    assert _origin(site.url) != _origin(live_server.url)
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Tab:
    page: Page
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@pytest.fixture
def tab(chromium: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.COUNTER_REFRESH_SECONDS = 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(CSP_REPORTER)  # a CSP violation is a console error
            page.set_default_timeout(TIMEOUT_MS)
            state = Tab(page=page)

            def on_console(message: ConsoleMessage) -> None:
                if message.type in ("error", "warning") and "favicon.ico" not in str(
                    message.location.get("url", "")
                ):
                    state.problems.append(f"console: {message.text}")

            def on_failed(request: Request) -> None:
                if (request.resource_type, request.failure) == ("fetch", "net::ERR_ABORTED"):
                    return  # a counter poll cut off when the test ends
                state.problems.append(f"failed: {request.url} {request.failure}")

            def on_page_error(error: Error) -> None:
                state.problems.append(f"uncaught: {error}")

            page.on("console", on_console)
            page.on("pageerror", on_page_error)
            page.on("requestfailed", on_failed)
            page.on("request", lambda request: state.requests.append(request.url))
            yield state
        finally:
            connections.close_all()
            browser.close()


def _polish_labels() -> dict[str, str]:
    with translation.override("pl"):
        form = SignForm()
        labels = {name: str(form.fields[name].label) for name in ("name", "email", "city")}
        labels["country"] = str(form.fields["country"].label)
        labels["initials"] = str(Signature.NameDisplay.INITIALS.label)
        labels["letter"] = str(form.fields["consent_letter"].label)
        labels["sign"] = translation.gettext("Sign the petition")
        labels["counted"] = translation.gettext("Thank you: your signature is counted.")
    return labels


def test_partner_page_on_another_origin_signs_through_the_widget_for_the_partner(
    tab: Tab,
    partner_site: PartnerSite,
    live_server: Any,
    campaign: Campaign,
    partner: Partner,
) -> None:
    page = tab.page
    words = _polish_labels()
    page.goto(partner_site.url + "/")

    widget = page.locator("[data-lantern-widget]")
    total = widget.locator("[data-counter-total]")
    expect(total).to_have_text("0")
    expect(widget.locator(".lantern")).to_have_attribute("lang", "pl")

    widget.get_by_label(words["name"], exact=True).fill("Anna Nowak")
    widget.get_by_label(words["initials"], exact=True).check()
    widget.get_by_label(words["email"], exact=True).fill("anna@example.org")
    widget.get_by_label(words["country"], exact=True).select_option(value="PL")
    widget.get_by_label(words["city"], exact=True).fill("Warszawa")
    widget.get_by_label(words["letter"]).check()
    sign_button = widget.get_by_role("button", name=words["sign"])
    # The partner's page paints its own buttons red; the widget's follows --lantern-accent.
    expect(sign_button).to_have_css("background-color", ACCENT)
    expect(page.locator("#own")).to_have_css("background-color", HOST_RED)
    expect(widget.get_by_label(words["city"], exact=True)).not_to_have_css("font-size", "40px")
    sign_button.press("Enter")  # keyboard only

    expect(widget.locator("[data-outcome]")).to_have_text(words["counted"])
    expect(widget.locator("[data-outcome]")).to_be_focused()
    expect(total).to_have_text("1")

    signature = Signature.objects.select_related("action").get()
    assert signature.partner == partner
    assert signature.action is not None
    assert (signature.action.partner, signature.action.source) == (partner, Source.WIDGET)
    assert (signature.shown_name, signature.country, signature.city) == ("A. N.", "PL", "Warszawa")

    # Someone signs elsewhere: the widget's counter follows without a reload.
    page.evaluate("window.sameDocument = true")
    sign_petition(campaign, SignatureInput(name="Kenji Sato", email="k@example.jp", country="JP"))
    expect(total).to_have_text("2", timeout=TIMEOUT_MS)
    with translation.override("pl"):
        japan, poland = country_name("JP"), country_name("PL")
    expect(widget.locator("[data-counter-list] li")).to_have_text([f"{japan}: 1", f"{poland}: 1"])
    assert page.evaluate("window.sameDocument") is True
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "widget-on-partner-page.png", full_page=True)

    allowed = {_origin(partner_site.url), _origin(live_server.url)}
    strangers = [url for url in tab.requests if _origin(url) not in allowed]
    assert strangers == []
    assert any(_origin(url) == _origin(live_server.url) for url in tab.requests)
    assert partner_site.requests[0] == "/"
    assert tab.problems == []
    assert Action.objects.filter(partner=partner).count() == 1
