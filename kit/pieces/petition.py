"""The paper petition sheet: the petition at the top, the consent wording, and one line per
signer whose columns are the CSV import's (actions.rows.FIELDS, docs/IMPORT.md), so that a
group types the sheet into that CSV as it stands and imports it with its provenance.

Each sheet has its own code, and each line its own `external_id` (the code and the line
number), printed in advance: a sheet typed in twice is recorded once. The signer's name and
signature stay on paper: they are in a column of their own, after the CSV's, that is not
typed in.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.rows import FIELDS
from actions.types import ActionType, Channel
from kit.pieces.base import LAYOUTS, KitSpec, Piece
from kit.printing import campaign_link

LINES_PER_SHEET = 12
# Sheet codes: no 0/O, 1/I, so that a code copied by hand is typed back the same.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def sheet_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def column_hints() -> dict[str, str]:
    """What goes in each CSV column, under its name on the sheet."""
    return {
        "occurred_at": _("date and time, e.g. 2012-12-10 18:30"),
        "country": _("your country"),
        "city": _("your town or city"),
        "action_type": _("printed"),
        "count": _("printed"),
        "channel": _("printed"),
        "external_id": _("printed"),
        "note": _("for the group"),
    }


def petition_refusal(spec: KitSpec) -> str:
    if ActionType.SIGNATURE not in spec.campaign.action_types:
        return _("This campaign collects no signatures, so it has no petition sheet.")
    return ""


def petition_data(spec: KitSpec) -> dict[str, Any]:
    campaign = spec.campaign
    hints = column_hints()
    who = spec.partner.name if spec.partner is not None else _("the organizers")
    sheets = []
    for _number in range(spec.sheets):
        code = sheet_code()
        sheets.append(
            {
                "code": code,
                "heading": _("Sheet %(code)s") % {"code": code},
                "lines": [
                    {
                        "action_type": ActionType.SIGNATURE.value,
                        "count": "1",
                        "channel": Channel.PAPER.value,
                        "external_id": f"{code}-{line:02d}",
                    }
                    for line in range(1, LINES_PER_SHEET + 1)
                ],
            }
        )
    return {
        "title": _("Petition: %(campaign)s") % {"campaign": campaign.title},
        "language": spec.language,
        "campaign": campaign.title,
        "target": _("To: %(target)s") % {"target": campaign.petition_target}
        if campaign.petition_target
        else "",
        "text": campaign.petition_text or campaign.summary,
        "consent": _(
            "By signing you support this petition. Only the date, the country and the town of "
            "your signature are typed into Lantern, to count it; your name and signature stay "
            "on this sheet with %(who)s and are never published."
        )
        % {"who": who},
        "fill_in": _(
            "Collected at (place): ____________________   UTC offset of the local time "
            "(e.g. +01:00): ________"
        ),
        "online": _("Or sign online: %(link)s") % {"link": campaign_link(campaign, spec.partner)},
        "columns": [{"name": name, "hint": hints[name]} for name in FIELDS],
        "signature": _("Name and signature"),
        "signature_hint": _("stays on paper, not typed in"),
        "sheets": sheets,
    }


PIECE = Piece(
    slug="petition",
    title=gettext_lazy("Paper petition sheet"),
    purpose=gettext_lazy(
        "For signatures at your stand, from people without a phone or who prefer paper: "
        "12 signers a sheet, each sheet numbered. Its columns are those of the CSV import: "
        "afterwards, type each line into the CSV as it is printed and send the file to the "
        "organizers, who import it for you. The names stay on paper."
    ),
    layout=LAYOUTS / "petition.typ",
    data=petition_data,
    refusal=petition_refusal,
    takes_sheets=True,
)
