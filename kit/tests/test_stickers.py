"""The sticker sheet, read back: 24 labels where the label sheet has them, each with the name,
the slogan and a QR code that decodes to the campaign page counted for the partner."""

from __future__ import annotations

import pytest

from conftest import Cast
from kit.pieces import PIECES
from kit.pieces.stickers import LABELS, label_origin
from kit.printing import campaign_link
from kit.services import build_piece, kit_spec
from kit.tests.factories import make_kit_campaign
from lantern.tests.pdftools import page_size_mm, pdf_pages, qr_codes, text_positions

pytestmark = pytest.mark.django_db
LABEL_COUNT = 24


def stickers(campaign, language, partner) -> bytes:
    spec = kit_spec(campaign, campaign.cases.get(), language, partner)
    return build_piece(PIECES["stickers"], spec)


def label_of(left_mm: float, top_mm: float) -> int:
    """Which label a point falls in (inside its inset), or -1."""
    inset = LABELS["inset"]
    for index in range(LABEL_COUNT):
        left, top = label_origin(index)
        if (
            left + inset - 0.5 <= left_mm <= left + LABELS["width"] - inset + 0.5
            and top + inset - 0.5 <= top_mm <= top + LABELS["height"] - inset + 0.5
        ):
            return index
    return -1


def test_the_sheet_is_one_a4_page_of_3_by_8_labels_that_fit_on_it(cast: Cast) -> None:
    pdf = stickers(make_kit_campaign(cast.partner), "en", cast.partner)

    assert len(pdf_pages(pdf)) == 1
    assert page_size_mm(pdf, 0) == pytest.approx((210, 297), abs=0.5)
    last_left, last_top = label_origin(LABEL_COUNT - 1)
    assert last_left + LABELS["width"] <= 210 - 7
    assert last_top + LABELS["height"] <= 297 - 12
    assert (LABELS["columns"], LABELS["rows"]) == (3, 8)


def test_each_label_has_a_qr_code_to_the_campaign_page_for_the_partner(cast: Cast) -> None:
    campaign = make_kit_campaign(cast.partner)

    codes = qr_codes(stickers(campaign, "en", cast.partner), 0, dpi=300)

    assert len(codes) == LABEL_COUNT
    assert {code.text for code in codes} == {campaign_link(campaign, cast.partner)}
    assert "?partner=amnesty-poland" in codes[0].text
    # Each code sits wholly inside its own label, one code per label.
    assert sorted(label_of(c.left_mm, c.top_mm) for c in codes) == list(range(LABEL_COUNT))
    assert sorted(label_of(c.right_mm, c.bottom_mm) for c in codes) == list(range(LABEL_COUNT))


def test_each_label_prints_the_name_and_the_slogan_in_the_kit_language(cast: Cast) -> None:
    campaign = make_kit_campaign(cast.partner)

    placed = text_positions(stickers(campaign, "pl", cast.partner), 0)

    names = [p for p in placed if p.text == "Aleś Bialacki"]
    assert sorted(label_of(p.left_mm, p.top_mm) for p in names) == list(range(LABEL_COUNT))
    slogans = [p for p in placed if p.text.startswith("Napisz list")]
    assert sorted(label_of(p.left_mm, p.top_mm) for p in slogans) == list(range(LABEL_COUNT))
