"""A campaign, a case with its names, portrait and prison address, for the kit's tests."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image

from campaigns.models import Campaign, CampaignTranslation
from cases.models import AddressPeriod, Case, CaseName, Facility
from lantern.testing import make_campaign, make_case
from partners.models import Partner

RECIPIENT = "Бяляцкі Алесь Віктаравіч, 1962 г.н."
ADDRESS = ["Исправительная колония № 2", "ул. Камышовая, 2", "213800 г. Бобруйск", "БЕЛАРУСЬ"]


def portrait_jpeg(width: int = 300, height: int = 400) -> bytes:
    image = Image.new("RGB", (width, height), (120, 90, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def make_kit_case(*, portrait: bool = True, **fields: Any) -> Case:
    values: dict[str, Any] = {
        "name": "Ales Bialiatski",
        "country": "BY",
        "headline": "Head of the Human Rights Center Viasna",
    }
    values.update(fields)
    case = make_case(**values)
    CaseName.objects.create(case=case, name="Алесь Бяляцкі", language="be", script="Cyrl")
    CaseName.objects.create(case=case, name="Алесь Беляцкий", language="ru", script="Cyrl")
    CaseName.objects.create(case=case, name="Aleś Bialacki", language="pl", script="Latn")
    if portrait:
        case.portrait.save("ales.jpg", ContentFile(portrait_jpeg()), save=True)
    return case


def make_colony(case: Case, **fields: Any) -> AddressPeriod:
    values: dict[str, Any] = {
        "name": "Penal colony No. 2, Babruysk",
        "country": "BY",
        "kind": Facility.Kind.PENAL_COLONY,
        "accepted_languages": ["be", "ru"],
        "postcards_allowed": True,
    }
    values.update(fields)
    facility = Facility.objects.create(**values)
    return AddressPeriod.objects.create(
        case=case,
        facility=facility,
        valid_from=date(2012, 1, 24),
        address_lines="\n".join(ADDRESS),
        recipient_line=RECIPIENT,
    )


def make_kit_campaign(partner: Partner | None = None, **fields: Any) -> Campaign:
    """Write for Rights in English and Polish (with a Polish translation), for Ales
    Bialiatski at the Babruysk colony, with `partner` taking part."""
    case = fields.pop("case", None) or make_kit_case()
    if not case.address_periods.exists():
        make_colony(case)
    values: dict[str, Any] = {
        "title": "Write for Rights",
        "slogan": "Write for Rights!",
        "petition_target": "The President of Belarus",
        "petition_text": "We call on you to release Ales Bialiatski at once.",
        "languages": ["en", "be", "pl"],
    }
    values.update(fields)
    campaign = make_campaign(cases=[case], partners=[partner] if partner else None, **values)
    CampaignTranslation.objects.create(
        campaign=campaign,
        language="pl",
        title="Maraton Pisania Listów",
        slogan="Napisz list, zmień czyjeś życie!",
        petition_text="Wzywamy do natychmiastowego uwolnienia Alesia Bialackiego.",
    )
    return campaign
