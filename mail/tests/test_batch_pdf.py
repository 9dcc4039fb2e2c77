"""A batch's PDF, built by the real task worker: cover sheet, address in the window, letters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.testing import run_task_worker
from lantern.tests.pdftools import flat, pdf_fonts, pdf_pages, text_positions
from letters.models import Letter
from mail.models import MailBatch
from mail.printing import WINDOW
from mail.services import build_batch
from mail.tests.factories import make_case_at, make_facility, make_letter

pytestmark = pytest.mark.django_db(transaction=True)  # the task is enqueued on commit

LETTERS = [
    ("Ελευθερία Παπαδοπούλου", "GR", "en", "Dear Ales, greetings from Athens.", "Дорогой Алесь!"),
    ("李明", "CN", "en", "Dear Ales, 你好 from Beijing.", "Привет из Пекина."),
    ("佐藤 さくら", "JP", "ru", "Алесь, привет из Токио! さくら", ""),
    ("김민준", "KR", "be", "Дарагі Алесь, прывітанне з Сеула. 김민준", ""),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def batch():
    facility = make_facility()
    case = make_case_at(facility, name="Ales Bialiatski")
    for author, country, language, text, translation in LETTERS:
        make_letter(
            case,
            author_name=author,
            author_country=country,
            language=language,
            text=text,
            translation=translation,
            status=Letter.Status.TRANSLATED if translation else Letter.Status.APPROVED,
        )
    return build_batch(facility, None)


def built(batch: MailBatch) -> bytes:
    run_task_worker()
    batch.refresh_from_db()
    assert batch.pdf_state == MailBatch.PdfState.READY, batch.pdf_error
    with batch.pdf.open("rb") as handle:
        return bytes(handle.read())


def test_cover_sheet_lists_every_letter_then_each_letter_follows_its_address(batch):
    pages = pdf_pages(built(batch))

    cover = flat(pages[0])
    assert f"Mail batch {batch.pk}: Penal colony No. 2, Babruysk" in cover
    assert "4 letters" in cover
    for author, *_ in LETTERS:
        assert author in cover
    # cover + one page per letter + one per translation
    assert len(pages) == 1 + len(LETTERS) + 2
    first_letter = flat(pages[1])
    assert "Ales Bialiatski, 1962 г.р." in first_letter
    assert "г. Бобруйск, ул. Камышовая, 2" in first_letter
    assert "Dear Ales, greetings from Athens." in first_letter
    assert "Ελευθερία Παπαδοπούλου" in first_letter
    assert "Дорогой Алесь!" in flat(pages[2]), "the translation follows its letter"
    text = flat(" ".join(pages))
    for _author, _country, _language, letter_text, _translation in LETTERS:
        assert letter_text in text
    for number, page in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in page


def test_latin_cyrillic_greek_and_cjk_are_printed_with_embedded_noto_fonts(batch):
    fonts = pdf_fonts(built(batch))

    assert {font.name for font in fonts} == {
        "NotoSans-Regular",
        "NotoSans-Bold",
        "NotoSansCJKsc-Regular",
    }
    assert all(font.embedded for font in fonts)


def test_the_address_block_sits_in_the_din_5008_window(batch):
    pdf = built(batch)

    positions = text_positions(pdf, page=1)

    recipient = next(p for p in positions if p.text.startswith("Ales Bialiatski, 1962"))
    last_line = next(p for p in positions if p.text.startswith("ИК-2"))
    for line in (recipient, last_line):
        assert WINDOW["left"] <= line.left_mm <= WINDOW["left"] + 10
        assert WINDOW["address_top"] <= line.top_mm <= WINDOW["top"] + WINDOW["height"]
    assert recipient.top_mm < last_line.top_mm


def test_progress_is_recorded_one_step_per_letter_and_one_for_typesetting(batch):
    built(batch)

    assert (batch.pdf_done, batch.pdf_total) == (len(LETTERS) + 1, len(LETTERS) + 1)
    assert batch.pdf_built_at is not None


def test_a_failed_build_is_marked_failed_and_the_page_says_why(
    batch, monkeypatch, tmp_path, client, cast
):
    broken = tmp_path / "broken.typ"
    broken.write_text("#let x = ", encoding="utf-8")
    monkeypatch.setattr("mail.printing.LAYOUT", broken)

    with pytest.raises(AssertionError, match="FAILED"):
        run_task_worker()  # asserts that no task failed: this one did

    batch.refresh_from_db()
    assert batch.pdf_state == MailBatch.PdfState.FAILED
    assert "broken.typ" in batch.pdf_error
    assert not batch.pdf
    client.force_login(cast.organizer)
    page = client.get(reverse("mail:batch", args=[batch.pk])).content.decode()
    assert "Building the PDF failed:" in page
    assert "Build the PDF again" in page
