"""Pre-addressed postcards, read back: the facility's recipient line and address in the local
script on every card, guidance in the writer's language, and a clear refusal when cards
cannot reach the person."""

from __future__ import annotations

import pytest

from actions.types import ActionType
from cases.models import Case
from conftest import Cast
from kit.pieces import PIECES
from kit.services import KitRefused, build_piece, kit_spec
from kit.tests.factories import ADDRESS, RECIPIENT, make_kit_campaign, make_kit_case
from lantern.tests.pdftools import flat, page_size_mm, pdf_pages

pytestmark = pytest.mark.django_db
POSTCARDS = PIECES["postcards"]


def postcards(campaign, language, sheets=1) -> bytes:
    spec = kit_spec(campaign, campaign.cases.get(), language, None, sheets=sheets)
    return build_piece(POSTCARDS, spec)


def test_every_card_carries_the_recipient_and_the_address_in_the_local_script(
    cast: Cast,
) -> None:
    pdf = postcards(make_kit_campaign(cast.partner), "en", sheets=2)

    pages = pdf_pages(pdf)
    assert len(pages) == 3  # the guidance, then two sheets of cards
    assert all(page_size_mm(pdf, i) == pytest.approx((297, 210), abs=0.5) for i in range(3))
    for sheet in pages[1:]:
        text = flat(sheet)
        assert text.count(RECIPIENT) == 4
        for line in ADDRESS:
            assert text.count(line) == 4, line
    assert RECIPIENT not in pages[0]


def test_the_guidance_is_in_the_writers_language_and_names_the_prisons_languages(
    cast: Cast,
) -> None:
    campaign = make_kit_campaign(cast.partner)

    english = flat(pdf_pages(postcards(campaign, "en"))[0])
    polish = flat(pdf_pages(postcards(campaign, "pl"))[0])

    assert "The prison reads: Belarusian, Russian." in english
    assert "Penal colony No. 2, Babruysk" in english
    assert "Do not write about the war, politics or the criminal case" in english
    assert "Więzienie czyta: białoruski, rosyjski." in polish
    assert "Aleś Bialacki" in polish
    assert "Białoruś" in polish  # the stamp for a postcard to Belarus, named in Polish


def test_cards_to_a_person_who_needs_a_full_name_say_so(cast: Cast) -> None:
    case = make_kit_case(named_correspondents_only=True)
    campaign = make_kit_campaign(cast.partner, case=case)

    assert "Sign with your first and last name" in flat(pdf_pages(postcards(campaign, "en"))[0])


def _refusal(campaign) -> str:
    with pytest.raises(KitRefused) as refused:
        postcards(campaign, "en")
    return str(refused.value)


def test_no_postcards_to_a_prison_that_does_not_pass_them_on(cast: Cast) -> None:
    campaign = make_kit_campaign(cast.partner)
    address = campaign.cases.get().current_address()
    assert address is not None
    facility = address.facility
    facility.postcards_allowed = False
    facility.save(update_fields=["postcards_allowed"])

    assert "Penal colony No. 2, Babruysk does not pass on postcards" in _refusal(campaign)


def test_no_postcards_to_a_person_who_may_not_be_written_to(cast: Cast) -> None:
    campaign = make_kit_campaign(cast.partner, case=make_kit_case(may_be_written_to=False))

    assert "writing could put them in danger" in _refusal(campaign)


def test_no_postcards_while_mail_is_held_in_transit(cast: Cast) -> None:
    campaign = make_kit_campaign(cast.partner, case=make_kit_case(status=Case.Status.IN_TRANSIT))

    assert "being moved between prisons" in _refusal(campaign)


def test_no_postcards_to_a_released_person_or_one_without_an_address(cast: Cast) -> None:
    released = make_kit_campaign(cast.partner, case=make_kit_case(status=Case.Status.RELEASED))
    nowhere = make_kit_campaign(cast.partner)
    nowhere.cases.get().address_periods.all().delete()

    assert "has been released" in _refusal(released)
    assert "no current address" in _refusal(nowhere)


def test_no_postcards_for_a_campaign_that_does_not_count_cards(cast: Cast) -> None:
    campaign = make_kit_campaign(cast.partner, action_types=[ActionType.SIGNATURE])

    assert "does not collect postcards" in _refusal(campaign)
