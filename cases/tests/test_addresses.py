from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError

from cases.models import AddressPeriod, Case, Facility
from lantern.testing import make_case

pytestmark = pytest.mark.django_db


def _facility(name: str) -> Facility:
    return Facility.objects.create(name=name, country="BY", accepted_languages=["ru", "be"])


def test_current_address_is_the_period_covering_the_day() -> None:
    case = make_case()
    minsk = _facility("Pre-trial detention centre No. 1, Minsk")
    colony = _facility("Penal colony No. 2, Babruysk")
    AddressPeriod.objects.create(
        case=case,
        facility=minsk,
        valid_from=date(2021, 7, 14),
        valid_to=date(2023, 4, 30),
        address_lines="вул. Валадарскага, 2\n220030, г. Мінск",
        recipient_line="Бяляцкі Алесь Віктаравіч, 1962 г.н.",
    )
    AddressPeriod.objects.create(
        case=case,
        facility=colony,
        valid_from=date(2023, 5, 1),
        address_lines="вул. Сікорскага, 1\n213800, г. Бабруйск",
        recipient_line="Бяляцкі Алесь Віктаравіч, 1962 г.н.",
    )

    at_minsk = case.current_address(on=date(2022, 1, 1))
    at_colony = case.current_address(on=date(2026, 1, 1))

    assert at_minsk is not None and at_minsk.facility == minsk
    assert at_colony is not None and at_colony.facility == colony
    assert at_colony.lines == ["вул. Сікорскага, 1", "213800, г. Бабруйск"]
    assert case.current_address(on=date(2020, 1, 1)) is None


def test_address_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(IntegrityError):
        AddressPeriod.objects.create(
            case=make_case(),
            facility=_facility("Prison"),
            valid_from=date(2023, 5, 1),
            valid_to=date(2023, 4, 1),
            address_lines="x",
            recipient_line="y",
        )


def test_mail_is_held_only_while_the_case_is_in_transit() -> None:
    assert make_case(status=Case.Status.IN_TRANSIT).mail_on_hold
    assert not make_case(status=Case.Status.SENTENCED).mail_on_hold


def test_facility_without_a_language_list_accepts_any_language() -> None:
    assert Facility(name="x", country="BY").accepts_language("de")
    assert not _facility("y").accepts_language("de")
