"""Fixtures for the letters tests: a prison in Belarus, a case held there, a campaign."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from campaigns.models import Campaign
from cases.models import AddressPeriod, Case, Facility
from conftest import PASSWORD, Cast
from lantern.testing import make_campaign, make_case
from letters.models import Letter
from letters.services import LetterInput, submit_letter
from partners.models import Membership


@pytest.fixture
def colony(db: None) -> Facility:
    return Facility.objects.create(
        name="Penal colony No. 2, Babruysk",
        country="BY",
        kind=Facility.Kind.PENAL_COLONY,
        accepted_languages=["ru", "be"],
        max_length_chars=3000,
        writer_guidance="Write about books, nature and your town.",
    )


@pytest.fixture
def prisoner(colony: Facility) -> Case:
    case = make_case(slug="ales-bialiatski", name="Ales Bialiatski", country="BY")
    AddressPeriod.objects.create(
        case=case,
        facility=colony,
        valid_from=date(2023, 5, 1),
        address_lines="вул. Сікорскага, 1\n213800, г. Бабруйск, Магілёўская вобл.",
        recipient_line="Бяляцкі Алесь Віктаравіч, 1962 г.н.",
    )
    return case


@pytest.fixture
def campaign(prisoner: Case, cast: Cast) -> Campaign:
    return make_campaign(
        slug="write-for-rights",
        title="Write for Rights",
        cases=[prisoner],
        partners=[cast.partner],
    )


@pytest.fixture
def translator(cast: Cast) -> User:
    user = User.objects.create_user("translator", "t@example.org", PASSWORD)
    Membership.objects.create(user=user, partner=cast.partner, role=Membership.Role.TRANSLATOR)
    return user


def write(campaign: Campaign, case: Case, text: str, **fields: object) -> Letter:
    values: dict[str, object] = {
        "kind": Letter.Kind.LETTER,
        "text": text,
        "author_name": "Zofia",
        "author_country": "PL",
    }
    values.update(fields)
    return submit_letter(campaign, case, LetterInput(**values))  # type: ignore[arg-type]


CLEAN_RU = "Дорогой Алесь! Желаю вам здоровья и сил. У нас весна, цветут каштаны. Обнимаем."
CLEAN_PL = "Drogi Alesiu! Życzę zdrowia i siły. U nas wiosna, kwitną kasztany. Ściskamy mocno."
FLAGGED_RU = "Дорогой Алесь! Мы все помним о войне и ждём, когда отменят приговор."
