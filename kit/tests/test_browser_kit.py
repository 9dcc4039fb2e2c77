"""The offline kit page in Debian's chromium: a partner's member chooses the language, reads
what each piece is for, and downloads the poster and petition sheets; no other host asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from kit.tests.factories import make_kit_campaign
from lantern.testing import signed_in_browser
from lantern.tests.pdftools import flat, page_size_mm, pdf_pages, pdf_text, qr_codes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def member_page(
    live_server: Any, chromium: str, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Page, list[str]]]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with signed_in_browser(chromium, live_server.url, cast.reporter) as opened:
        yield opened


def test_a_member_chooses_polish_and_downloads_the_poster_and_petition_sheets(
    member_page: tuple[Page, list[str]], live_server: Any, cast: Any, settings: Any
) -> None:
    page, requested = member_page
    settings.SITE_URL = live_server.url
    campaign = make_kit_campaign(cast.partner)

    page.goto(live_server.url + reverse("partners:dashboard", args=[cast.partner.slug]))
    page.get_by_role("link", name="Offline kit: Write for Rights").click()
    expect(page.get_by_role("heading", name="Offline kit: Write for Rights")).to_be_visible()
    page.get_by_label("Language of the printouts").select_option("pl")
    page.get_by_role("button", name="Show the kit").click()
    expect(page.get_by_role("heading", name="Pre-addressed postcards")).to_be_visible()
    expect(page.get_by_text("?partner=amnesty-poland")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kit-page.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Poster, A3 (PDF)").click()
    poster = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.endswith("-poster-a3-pl.pdf")
    assert page_size_mm(poster, 0) == pytest.approx((297, 420), abs=0.5)
    assert "Maraton Pisania Listów" in pdf_text(poster)
    (code,) = qr_codes(poster, 0, dpi=100)
    assert code.text == live_server.url + f"/campaigns/{campaign.slug}/?partner=amnesty-poland"

    page.get_by_label("Sheets").first.fill("2")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download: Paper petition sheet (PDF)").click()
    sheets = Path(download.value.path()).read_bytes()
    assert len(pdf_pages(sheets)) == 2
    assert "nigdy nie są publikowane" in flat(pdf_text(sheets))

    # The QR code's link opens the campaign page, ready to count for the partner.
    page.goto(code.text)
    hidden = page.locator('form.sign input[name="partner"]')
    expect(hidden).to_have_value("amnesty-poland")
    origin = live_server.url
    assert [url for url in requested if not url.startswith(origin)] == []
