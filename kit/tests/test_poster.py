"""The poster, read back from its PDF: text, portrait, paper size, and its QR code decoded."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve
from pypdf import PdfReader

from conftest import Cast
from kit.pieces import PIECES
from kit.services import build_piece, kit_spec
from kit.tests.factories import make_kit_campaign, make_kit_case
from lantern.tests.pdftools import flat, page_size_mm, pdf_pages, pdf_text, qr_codes

pytestmark = pytest.mark.django_db
POSTER = PIECES["poster"]


def poster(campaign, language, partner, size="a4") -> bytes:
    return build_piece(
        POSTER, kit_spec(campaign, campaign.cases.get(), language, partner, size=size)
    )


def test_the_poster_prints_the_campaign_and_the_name_in_the_kit_language_and_the_local_script(
    cast: Cast,
) -> None:
    campaign = make_kit_campaign(cast.partner)

    polish = flat(pdf_text(poster(campaign, "pl", cast.partner)))
    belarusian = flat(pdf_text(poster(campaign, "be", cast.partner)))

    assert "Maraton Pisania Listów" in polish  # the campaign's Polish title
    assert "Napisz list, zmień czyjeś życie!" in polish
    assert "Aleś Bialacki" in polish and "Алесь Бяляцкі" in polish
    assert "Podpisz petycję i napisz list." in polish
    assert "Printed by Amnesty International Poland" not in polish
    assert "Wydrukowane przez Amnesty International Poland" in polish
    assert "Write for Rights" in belarusian  # no Belarusian translation: the campaign's own
    assert "Падпішыце петыцыю і напішыце ліст." in belarusian
    assert belarusian.count("Алесь Бяляцкі") == 1  # the local name is the Belarusian one


def test_the_qr_code_opens_the_campaign_page_counted_for_the_partner(
    cast: Cast, settings: object
) -> None:
    settings.SITE_URL = "https://lantern.example.org"  # type: ignore[attr-defined]
    campaign = make_kit_campaign(cast.partner)

    (code,) = qr_codes(poster(campaign, "en", cast.partner), 0)

    url = urlsplit(code.text)
    assert f"{url.scheme}://{url.netloc}" == "https://lantern.example.org"
    assert resolve(url.path).view_name == "campaigns:detail"
    assert resolve(url.path).kwargs == {"slug": campaign.slug}
    assert parse_qs(url.query) == {"partner": [cast.partner.slug]}
    assert code.text in flat(pdf_text(poster(campaign, "en", cast.partner)).replace("\n", ""))


def test_the_organizers_poster_links_to_the_campaign_page_without_a_partner(cast: Cast) -> None:
    campaign = make_kit_campaign(cast.partner)

    (code,) = qr_codes(poster(campaign, "en", None), 0)

    assert urlsplit(code.text).query == ""
    assert "Printed by" not in pdf_text(poster(campaign, "en", None))


@pytest.mark.parametrize(("size", "width", "height"), [("a4", 210, 297), ("a3", 297, 420)])
def test_the_poster_comes_on_one_page_of_a4_or_a3_with_a_readable_code(
    cast: Cast, size: str, width: int, height: int
) -> None:
    campaign = make_kit_campaign(cast.partner)

    pdf = poster(campaign, "en", cast.partner, size)

    assert len(pdf_pages(pdf)) == 1
    assert page_size_mm(pdf, 0) == pytest.approx((width, height), abs=0.5)
    (code,) = qr_codes(pdf, 0, dpi=100)
    assert code.right_mm - code.left_mm > (45 if size == "a4" else 63)  # scannable from afar


def test_the_poster_prints_the_portrait_and_does_without_one(cast: Cast) -> None:
    with_portrait = make_kit_campaign(cast.partner)
    without = make_kit_campaign(cast.partner, case=make_kit_case(portrait=False))

    pictured = PdfReader(io.BytesIO(poster(with_portrait, "en", None))).pages[0].images
    bare = PdfReader(io.BytesIO(poster(without, "en", None)))

    assert len(pictured) == 1
    assert pictured[0].image is not None and pictured[0].image.size == (300, 400)
    assert len(bare.pages[0].images) == 0
    assert "Ales Bialiatski" in bare.pages[0].extract_text()
