"""The mail desk in Debian's chromium: make a batch, watch the PDF build, download it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from lantern.testing import run_task_worker, signed_in_browser
from mail.models import MailBatch
from mail.tests.factories import make_case_at, make_facility, make_letter, make_mail_desk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def desk_page(
    live_server: Any, chromium: str, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Page, list[str]]]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with signed_in_browser(chromium, live_server.url, make_mail_desk(cast)) as opened:
        yield opened


def test_mail_desk_makes_a_batch_and_the_page_shows_the_pdf_when_built(
    desk_page: tuple[Page, list[str]], live_server: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    page, requested = desk_page
    facility = make_facility()
    make_letter(make_case_at(facility, name="Ales Bialiatski"), author_name="Zofia Nowak")

    page.goto(live_server.url + reverse("mail:facility", args=[facility.pk]))
    expect(page.get_by_role("heading", name="Ready for the next batch: 1 letter")).to_be_visible()
    button = page.get_by_role("button", name="Make a batch of these letters")
    button.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("The PDF is waiting for the worker.")).to_be_visible()
    run_task_worker()
    link = page.get_by_role("link", name="Download the PDF")
    expect(link).to_be_visible()  # the page reloaded itself once the job was done
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"mail-batch-{MailBatch.objects.get().pk}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    origin = live_server.url
    assert [url for url in requested if not url.startswith(origin)] == []
