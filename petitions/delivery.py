"""What the petition letter says: the data `petitions/pdf/delivery.typ` prints.

Read-only: the state changes (freeze, build, post) are in `petitions.services`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import Action
from actions.types import ActionType
from lantern.countries import country_name
from petitions.models import PetitionDelivery, Signature, initials

LAYOUT = Path(__file__).resolve().parent / "pdf" / "delivery.typ"
CHUNK = 2_000  # signers read per query, and how often progress is recorded


def thousands(n: int) -> str:
    return f"{n:,}"


def ledger_signatures(delivery: PetitionDelivery) -> int:
    """Signatures in the ledger up to the freeze, every channel: the letter's total."""
    total = Action.objects.filter(
        campaign_id=delivery.campaign_id,
        action_type=ActionType.SIGNATURE,
        pk__lte=delivery.last_action_id,
    ).aggregate(total=Sum("count"))["total"]
    return int(total or 0)


def letter_signers(delivery: PetitionDelivery) -> Any:
    """Counted signers who agreed to be on the letter, in the order they signed."""
    return (
        Signature.objects.filter(
            campaign_id=delivery.campaign_id,
            consent_letter=True,
            action__isnull=False,
            action_id__lte=delivery.last_action_id,
        )
        .order_by("action_id")
        .values_list("name", "name_display", "country")
    )


def shown(name: str, display: str) -> str | None:
    """The name as the signer chose to show it on the letter; None for anonymous."""
    if display == Signature.NameDisplay.FULL:
        return name
    if display == Signature.NameDisplay.INITIALS:
        return initials(name)
    return None


def delivery_data(
    delivery: PetitionDelivery, on_progress: Callable[[int], None] = lambda done: None
) -> dict[str, Any]:
    """Everything the layout prints; `on_progress(n)` after each chunk of signers read."""
    campaign = delivery.campaign
    countries: dict[str, str] = {}
    signers: list[tuple[str, str]] = []
    anonymous = 0
    for done, (name, display, country) in enumerate(
        letter_signers(delivery).iterator(chunk_size=CHUNK), start=1
    ):
        shown_name = shown(name, display)
        if shown_name is None:
            anonymous += 1
        else:
            if country not in countries:
                countries[country] = country_name(country)
            signers.append((shown_name, countries[country]))
        if done % CHUNK == 0:
            on_progress(done)
    named = len(signers)
    total = delivery.signatures_total
    others = max(0, total - named - anonymous)
    when = formats.date_format(delivery.frozen_at.date(), "j F Y")
    paragraphs = [p.strip() for p in campaign.petition_text.split("\n\n") if p.strip()]
    breakdown = [
        ngettext(
            "%(count)s signer agreed to have their name on this letter: listed below, "
            "as they chose to show it.",
            "%(count)s signers agreed to have their names on this letter: listed below, "
            "as each chose to show it.",
            named,
        )
        % {"count": thousands(named)},
    ]
    if anonymous:
        breakdown.append(
            ngettext(
                "%(count)s more signed without a name on the letter.",
                "%(count)s more signed without a name on the letter.",
                anonymous,
            )
            % {"count": thousands(anonymous)}
        )
    if others:
        breakdown.append(
            ngettext(
                "%(count)s signature was collected on paper, at events or by partners, "
                "or its signer did not ask to be named here.",
                "%(count)s signatures were collected on paper, at events or by partners, "
                "or their signers did not ask to be named here.",
                others,
            )
            % {"count": thousands(others)}
        )
    return {
        "title": campaign.title,
        "campaign": campaign.title,
        "target": campaign.petition_target,
        "text_paragraphs": paragraphs,
        "place_and_date": (
            _("%(place)s, %(date)s") % {"place": delivery.place, "date": when}
            if delivery.place
            else when
        ),
        "signers": signers,
        "labels": {
            "to": _("To"),
            "signed_by": _("Signed by"),
            "total_line": ngettext("%(count)s signature", "%(count)s signatures", total)
            % {"count": thousands(total)},
            "breakdown": breakdown,
        },
    }
