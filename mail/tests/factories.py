"""Facilities, addresses and letters ready for the post, for the mail desk's tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User

from campaigns.models import Campaign
from cases.models import AddressPeriod, Case, Facility
from conftest import PASSWORD, Cast
from lantern.testing import make_campaign, make_case
from letters.models import Letter, Translation
from partners.models import Membership

BABRUYSK_LINES = "213800, Беларусь\nг. Бобруйск, ул. Камышовая, 2\nИК-2"


def make_facility(**fields: Any) -> Facility:
    values: dict[str, Any] = {
        "name": "Penal colony No. 2, Babruysk",
        "country": "BY",
        "kind": Facility.Kind.PENAL_COLONY,
        "accepted_languages": ["be", "ru"],
    }
    values.update(fields)
    return Facility.objects.create(**values)


def make_address(case: Case, facility: Facility, **fields: Any) -> AddressPeriod:
    values: dict[str, Any] = {
        "valid_from": date(2012, 1, 24),
        "address_lines": BABRUYSK_LINES,
        "recipient_line": f"{case.name}, 1962 г.р.",
    }
    values.update(fields)
    return AddressPeriod.objects.create(case=case, facility=facility, **values)


def make_case_at(facility: Facility, **fields: Any) -> Case:
    case = make_case(**fields)
    make_address(case, facility)
    return case


def make_letter(
    case: Case, *, campaign: Campaign | None = None, translation: str = "", **fields: Any
) -> Letter:
    values: dict[str, Any] = {
        "campaign": campaign or make_campaign(cases=[case]),
        "case": case,
        "text": "Дарагі Алесь, мы памятаем пра вас.",
        "language": "be",
        "author_name": "Zofia Łukasiewicz",
        "author_country": "PL",
        "status": Letter.Status.APPROVED,
    }
    values.update(fields)
    letter = Letter.objects.create(**values)
    if translation:
        Translation.objects.create(letter=letter, language="ru", text=translation)
    return letter


def make_mail_desk(cast: Cast) -> User:
    user = User.objects.create_user("maildesk", "d@example.org", PASSWORD)
    Membership.objects.create(user=user, partner=cast.partner, role=Membership.Role.MAIL_DESK)
    return user
