"""The paper petition sheet, read back: the petition and consent wording in the kit's
language, and a table whose columns are the CSV import's, exactly, with numbered lines."""

from __future__ import annotations

import re

import pytest

from actions.rows import FIELDS
from actions.types import ActionType
from conftest import Cast
from kit.pieces import PIECES
from kit.pieces.petition import LINES_PER_SHEET
from kit.services import KitRefused, build_piece, kit_spec
from kit.tests.factories import make_kit_campaign
from lantern.tests.pdftools import flat, page_size_mm, pdf_pages

pytestmark = pytest.mark.django_db
PETITION = PIECES["petition"]
EXTERNAL_ID = re.compile(r"\b([A-Z2-9]{6})-(\d\d)\b")


def sheets(campaign, language, partner, count=1) -> bytes:
    spec = kit_spec(campaign, campaign.cases.get(), language, partner, sheets=count)
    return build_piece(PETITION, spec)


def header_row(page_text: str) -> list[str]:
    """The table's first row: the line that starts with the first column's name."""
    (line,) = [line for line in page_text.splitlines() if line.startswith(FIELDS[0])]
    return line.split()


def test_the_columns_are_the_csv_imports_in_its_order_then_the_signature(cast: Cast) -> None:
    (page,) = pdf_pages(sheets(make_kit_campaign(cast.partner), "en", cast.partner))

    header = header_row(page)

    assert header[: len(FIELDS)] == list(FIELDS)
    assert " ".join(header[len(FIELDS) :]) == "Name and signature"
    assert "stays on paper, not typed in" in page


def test_the_sheet_prints_the_petition_and_the_consent_in_the_kit_language(cast: Cast) -> None:
    (page,) = pdf_pages(sheets(make_kit_campaign(cast.partner), "pl", cast.partner))

    text = flat(page)
    assert "Maraton Pisania Listów" in text
    assert "Wzywamy do natychmiastowego uwolnienia Alesia Bialackiego." in text
    assert "Do: The President of Belarus" in text
    assert "Amnesty International Poland" in text  # who keeps the sheet
    assert "nigdy nie są publikowane" in text  # the consent wording, in Polish
    assert header_row(page)[: len(FIELDS)] == list(FIELDS)  # the CSV's names, untranslated


def test_every_line_has_its_own_printed_external_id_and_each_sheet_its_own_code(
    cast: Cast,
) -> None:
    pdf = sheets(make_kit_campaign(cast.partner), "en", cast.partner, count=3)

    pages = pdf_pages(pdf)
    assert len(pages) == 3
    assert all(page_size_mm(pdf, i) == pytest.approx((297, 210), abs=0.5) for i in range(3))
    ids = [EXTERNAL_ID.findall(page) for page in pages]
    assert [len(found) for found in ids] == [LINES_PER_SHEET] * 3
    codes = [{code for code, _ in found} for found in ids]
    assert all(len(c) == 1 for c in codes) and len(set.union(*codes)) == 3
    assert [line for _, line in ids[0]] == [f"{n:02d}" for n in range(1, LINES_PER_SHEET + 1)]
    for code, page in zip([c.pop() for c in codes], pages, strict=True):
        assert f"Sheet {code}" in page
        lines = [line for line in page.splitlines() if code + "-" in line]
        assert all(line.split()[:3] == ["signature", "1", "paper"] for line in lines), lines


def test_a_campaign_without_signatures_has_no_petition_sheet(cast: Cast) -> None:
    campaign = make_kit_campaign(cast.partner, action_types=[ActionType.LETTER])

    with pytest.raises(KitRefused, match="collects no signatures"):
        sheets(campaign, "en", cast.partner)
