"""The poster (A3 or A4): the case's portrait and name, the campaign, a call to action and the
QR code to the campaign page, counted for the partner who printed it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.types import ActionType
from kit.pieces.base import LAYOUTS, KitSpec, Piece
from kit.printing import campaign_link, local_name, name_in, portrait_svg, qr_svg

# A3 is A4 scaled by the square root of two: the layout multiplies every length by this.
SCALE = {"a4": 1.0, "a3": 2**0.5}


def call_to_action(spec: KitSpec) -> str:
    """What the campaign page asks of those who scan the code. No name in it: the name is
    printed large above, and a name inside a sentence would need declining in be, ru, pl, uk."""
    types = set(spec.campaign.action_types)
    sign = ActionType.SIGNATURE in types
    write = bool({ActionType.LETTER, ActionType.CARD} & types) and spec.case.may_be_written_to
    if sign and write:
        return _("Sign the petition and write a letter.")
    if sign:
        return _("Sign the petition.")
    if write:
        return _("Write a letter.")
    return _("Take action.")


def attribution(spec: KitSpec) -> str:
    if spec.partner is None:
        return ""
    return _("Printed by %(partner)s") % {"partner": spec.partner.name}


def poster_data(spec: KitSpec) -> dict[str, Any]:
    name = name_in(spec.case, spec.language)
    local = local_name(spec.case)
    link = campaign_link(spec.campaign, spec.partner)
    return {
        "title": spec.campaign.title,
        "language": spec.language,
        "paper": spec.size,
        "scale": SCALE[spec.size],
        "campaign": spec.campaign.title,
        "slogan": spec.campaign.slogan,
        "portrait": portrait_svg(spec.case),
        "name": name,
        "local_name": local if local != name else "",
        "headline": spec.case.headline,
        "call": call_to_action(spec),
        "scan": _("Scan the code with your phone, or go to:"),
        "link": link,
        "qr": qr_svg(link),
        "by": attribution(spec),
    }


PIECE = Piece(
    slug="poster",
    title=gettext_lazy("Poster"),
    purpose=gettext_lazy(
        "For walls, shop windows and notice boards at your street action: the person's "
        "portrait and name, and a QR code that opens the campaign page."
    ),
    layout=LAYOUTS / "poster.typ",
    data=poster_data,
    sizes=("a3", "a4"),
)
