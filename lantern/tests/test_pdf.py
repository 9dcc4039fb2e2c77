"""lantern.pdf: Typst layouts compiled with data passed as JSON and only Lantern's own fonts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lantern.pdf import PdfError, render_pdf
from lantern.tests.pdftools import PdfFont, flat, pdf_fonts, pdf_pages, pdf_text

SAMPLE = Path(__file__).parent / "pdf_sample.typ"
SCRIPTS = {
    "Latin": "Zofia Łukasiewicz, Łódź",
    "Cyrillic": "Алесь Бяляцкі, Бабруйск",
    "Greek": "Ελευθερία Παπαδοπούλου",
    "Chinese": "李明",
    "Japanese": "さくら 佐藤",
    "Korean": "김민준",
}


def sample(**changes: object) -> bytes:
    data = {
        "title": "Letters to Ales",
        "footer": "Lantern",
        "lines": list(SCRIPTS.values()),
        "total": 6,
        "when": date(2013, 7, 31),
    }
    data.update(changes)
    return render_pdf(SAMPLE, data)


def test_text_in_latin_cyrillic_greek_and_cjk_is_in_the_pdf():
    text = flat(pdf_text(sample()))

    for script, line in SCRIPTS.items():
        assert line in text, script


def test_only_lanterns_own_fonts_are_used_and_all_are_embedded():
    fonts = pdf_fonts(sample())

    assert fonts == {
        PdfFont("NotoSans-Regular", embedded=True),
        PdfFont("NotoSans-Bold", embedded=True),  # the heading
        PdfFont("NotoSansCJKsc-Regular", embedded=True),
    }


def test_pages_are_numbered_out_of_the_total():
    first, second = pdf_pages(sample())

    assert "1 / 2" in first
    assert "2 / 2" in second
    assert "6 signatures" in second


def test_user_text_that_looks_like_typst_markup_prints_as_typed():
    typed = ["#strong[bold] $x^2$ *stars* _under_ @label <tag> \\ // not a comment", "= heading"]

    text = flat(pdf_text(sample(lines=typed, title="#set page(width: 1cm)")))

    assert typed[0] in text
    assert "= heading" in text
    assert "#set page(width: 1cm)" in text


def test_a_broken_layout_raises_pdf_error(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    broken = tmp_path / "broken.typ"
    broken.write_text("#let x = ", encoding="utf-8")

    with pytest.raises(PdfError, match="broken.typ"):
        render_pdf(broken, {})


def test_a_layout_outside_the_project_is_refused(tmp_path):
    outside = tmp_path / "outside.typ"
    outside.write_text("hello", encoding="utf-8")

    with pytest.raises(PdfError, match="outside the project"):
        render_pdf(outside, {})
