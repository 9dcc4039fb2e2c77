"""The campaign page, the results page and the letters-from-prison archive in Chromium, in
English and in Belarusian: chosen by the browser's language, and by the switcher, used from
the keyboard. Screenshots go to test-artifacts/ (campaign-en.png, campaign-be.png,
archive-en.png, archive-be.png, results-en.png, results-be.png). Every page loads cleanly and
asks no other host."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect, sync_playwright

from actions.rows import ActionInput
from actions.services import record_actions
from actions.types import ActionType, Channel, Source
from campaigns.models import Campaign, CampaignTranslation
from cases.models import CaseTranslation
from correspondence.services import PostInput, create_post, publish_post
from lantern.testing import make_campaign, make_case, make_partner, watch_console

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
NBSP = "\u00a0"


@pytest.fixture
def campaign() -> Campaign:
    case = make_case(slug="ales-bialiatski", name="Ales Bialiatski", headline="Head of Viasna.")
    CaseTranslation.objects.create(
        case=case,
        language="be",
        headline="Кіраўнік Праваабарончага цэнтра «Вясна».",
        story="Алесь Бяляцкі заснаваў Праваабарончы цэнтр «Вясна».",
    )
    campaign = make_campaign(cases=[case], title="Write for Rights: Ales Bialiatski")
    CampaignTranslation.objects.create(
        campaign=campaign,
        language="be",
        title="Пішам за правы: Алесь Бяляцкі",
        summary="Падпішыце петыцыю або напішыце Алесю.",
    )
    partner = make_partner()
    campaign.partners.add(partner)
    row = ActionInput(
        occurred_at=datetime(2012, 12, 10, 12, tzinfo=UTC),
        utc_offset_minutes=60,
        country="PL",
        city="Warsaw",
        action_type=ActionType.LETTER,
        count=1234,
        channel=Channel.EVENT,
        external_id="w-1",
        note="Letters",
    )
    record_actions(campaign, partner, [row], source=Source.IMPORT)
    original = create_post(
        PostInput(
            case=case,
            title="Paris, Paris… but I return home",
            body="Excerpts of letters from the political prisoner.",
            written_on=date(2012, 12, 2),
            written_at="Babruysk",
            tags=("letters from Ales Bialiatski",),
        ),
        author=None,
    )
    translation = create_post(
        PostInput(
            case=case,
            title="Парыж, Парыж… але я вяртаюся дадому",
            body="Урыўкі з лістоў палітвязня.",
            language="be",
            written_on=date(2012, 12, 2),
            written_at="Бабруйск",
            translation_of=original,
            tags=("letters from Ales Bialiatski",),
        ),
        author=None,
    )
    for post in (original, translation):
        publish_post(post)
    return campaign


@pytest.fixture
def browser(chromium: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop, sync ORM
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            connections.close_all()
            browser.close()


def _page(browser: Browser, locale: str, origin: str, problems: list[str]) -> Page:
    context = browser.new_context(locale=locale, viewport={"width": 420, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch_console(page, problems)  # CSP violations, console errors, exceptions

    def on_request(request: Any) -> None:
        parts = urlsplit(request.url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            problems.append(f"other host: {request.url}")

    page.on("request", on_request)
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    return page


def _shoot(page: Page, settings: Any, name: str) -> None:
    folder = settings.BASE_DIR / "test-artifacts"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def test_campaign_page_in_english_then_belarusian_by_the_keyboard_switcher(
    browser: Browser, live_server: Any, campaign: Campaign, settings: Any
) -> None:
    problems: list[str] = []
    page = _page(browser, "en-GB", live_server.url, problems)
    page.goto(live_server.url + reverse("campaigns:detail", args=[campaign.slug]))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Write for Rights: Ales Bialiatski")
    expect(page.get_by_role("button", name="Sign the petition")).to_be_visible()
    expect(page.locator("[data-counter-total]")).to_have_text("1,234")
    _shoot(page, settings, "campaign-en.png")

    # The switcher, from the keyboard: tab to the select, pick Belarusian, tab to the button.
    select = page.get_by_label("Language", exact=True)
    select.focus()
    select.select_option("be")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("html")).to_have_attribute("lang", "be")
    expect(page.get_by_role("heading", level=1)).to_have_text("Пішам за правы: Алесь Бяляцкі")
    expect(page.get_by_text("Кіраўнік Праваабарончага цэнтра «Вясна».")).to_be_visible()
    expect(page.get_by_role("button", name="Падпісаць петыцыю")).to_be_visible()
    expect(page.locator("[data-counter-total]")).to_have_text(f"1{NBSP}234")
    expect(page.get_by_label("Краіна", exact=True)).to_contain_text("Польшча")
    _shoot(page, settings, "campaign-be.png")
    assert problems == []


def test_archive_follows_the_browser_language(
    browser: Browser, live_server: Any, campaign: Campaign, settings: Any
) -> None:
    problems: list[str] = []
    archive = live_server.url + reverse("correspondence:list")
    english = _page(browser, "en-US", live_server.url, problems)
    english.goto(archive)
    expect(english.get_by_role("heading", level=1)).to_have_text("Letters from prison")
    expect(english.get_by_text("2 December 2012, Babruysk")).to_be_visible()
    expect(
        english.get_by_role("link", name="Read more: Paris, Paris… but I return home")
    ).to_be_visible()
    _shoot(english, settings, "archive-en.png")

    belarusian = _page(browser, "be-BY", live_server.url, problems)
    belarusian.goto(archive)
    expect(belarusian.locator("html")).to_have_attribute("lang", "be")
    expect(belarusian.get_by_role("heading", level=1)).to_have_text("Лісты з турмы")
    expect(belarusian.get_by_text("2 снежня 2012, Бабруйск")).to_be_visible()
    read_more = belarusian.get_by_role(
        "link", name="Чытаць далей: Парыж, Парыж… але я вяртаюся дадому"
    )
    _shoot(belarusian, settings, "archive-be.png")
    read_more.press("Enter")
    expect(belarusian.get_by_role("heading", level=1)).to_have_text(
        "Парыж, Парыж… але я вяртаюся дадому"
    )
    expect(belarusian.get_by_role("link", name="English")).to_be_visible()
    assert problems == []


def test_results_page_in_english_and_in_belarusian(
    browser: Browser, live_server: Any, campaign: Campaign, settings: Any
) -> None:
    campaign.languages = ["en", "be"]  # the summary is written in the campaign's languages
    campaign.save(update_fields=["languages"])
    problems: list[str] = []
    results = live_server.url + reverse("reports:results", args=[campaign.slug])
    english = _page(browser, "en-GB", live_server.url, problems)
    english.goto(results)
    expect(english.locator("html")).to_have_attribute("lang", "en")
    expect(english.get_by_role("heading", level=1)).to_have_text(
        "Results: Write for Rights: Ales Bialiatski"
    )
    expect(english.locator("#summary")).to_contain_text("1,234 actions")
    expect(english.locator("#summary")).to_contain_text("Poland")
    _shoot(english, settings, "results-en.png")

    belarusian = _page(browser, "be-BY", live_server.url, problems)
    belarusian.goto(results)
    expect(belarusian.locator("html")).to_have_attribute("lang", "be")
    expect(belarusian.get_by_role("heading", level=1)).to_have_text(
        "Вынікі: Пішам за правы: Алесь Бяляцкі"
    )
    expect(belarusian.locator("#summary")).to_contain_text(f"1{NBSP}234")
    expect(belarusian.locator("#summary")).to_contain_text("Польшча")
    _shoot(belarusian, settings, "results-be.png")
    assert problems == []
