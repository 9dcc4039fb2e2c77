"""The sticker sheet: 24 labels of 63.5 × 33.9 mm (3 across, 8 down on A4, the common 24-up
sheet such as Avery L7159), each with the case's name, the slogan and the QR code."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kit.pieces.base import LAYOUTS, KitSpec, Piece
from kit.pieces.poster import call_to_action
from kit.printing import campaign_link, name_in, qr_svg

# The label sheet, in millimetres from the page's top-left corner: the layout places each
# label from these numbers, and the tests read the printed positions back against them.
LABELS = {
    "columns": 3,
    "rows": 8,
    "width": 63.5,
    "height": 33.9,
    "left": 7.2,  # the first column's left edge
    "top": 12.9,  # the first row's top edge
    "column_pitch": 66.0,  # left edge to left edge: 2.5 mm between columns
    "row_pitch": 33.9,  # no gap between rows
    "inset": 2.5,  # nothing is printed nearer a label's edge (cutting is not exact)
}


def label_origin(index: int) -> tuple[float, float]:
    """The top-left corner (left, top) of label `index` (0 to 23, row by row), in mm."""
    row, column = divmod(index, LABELS["columns"])
    return (
        LABELS["left"] + column * LABELS["column_pitch"],
        LABELS["top"] + row * LABELS["row_pitch"],
    )


def stickers_data(spec: KitSpec) -> dict[str, Any]:
    name = name_in(spec.case, spec.language)
    link = campaign_link(spec.campaign, spec.partner)
    count = int(LABELS["columns"] * LABELS["rows"])
    return {
        "title": _("Stickers: %(campaign)s") % {"campaign": spec.campaign.title},
        "language": spec.language,
        "labels": LABELS,
        "origins": [label_origin(i) for i in range(count)],
        "name": name,
        "slogan": spec.campaign.slogan or spec.campaign.title,
        "call": call_to_action(spec),
        "qr": qr_svg(link),
    }


PIECE = Piece(
    slug="stickers",
    title=gettext_lazy("Sticker sheet"),
    purpose=gettext_lazy(
        "24 stickers to hand out with every letter written at your stand: the name, the "
        "slogan and the same QR code. Print on A4 label sheets of 3 × 8 labels, "
        "63.5 × 33.9 mm (such as Avery L7159)."
    ),
    layout=LAYOUTS / "stickers.typ",
    data=stickers_data,
)
