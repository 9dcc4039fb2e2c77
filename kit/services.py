"""Making a piece of the offline kit: check what was asked for, say why a piece cannot be
made, else print it. Nothing is written: a kit is printed on demand, fast enough to serve
directly (docs/KIT.md gives the figures)."""

from __future__ import annotations

import copy

from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.translations import localize_campaign
from cases.models import Case
from cases.translations import localize_cases
from kit.pieces import PIECES, KitSpec, Piece
from kit.printing import kit_languages
from lantern.pdf import render_pdf
from partners.models import Partner


class KitRefused(Exception):
    """The piece cannot be made for this campaign and case; the message says why."""


def kit_spec(
    campaign: Campaign,
    case: Case,
    language: str,
    partner: Partner | None,
    *,
    size: str = "a4",
    sheets: int = 1,
) -> KitSpec:
    """The printout's specification, with the campaign's and the case's texts in `language`.

    The caller has checked that the case, the partner and the language belong to the campaign
    (the kit form does); copies are localized, so the caller's instances keep their texts.
    """
    if language not in kit_languages(campaign):
        raise ValueError(f"{language!r} is not one of the campaign's languages")
    campaign = localize_campaign(copy.copy(campaign), language)
    (case,) = localize_cases([copy.copy(case)], language)
    return KitSpec(campaign, case, language, partner, size=size, sheets=sheets)


def piece_refusal(piece: Piece, spec: KitSpec) -> str:
    """Why `piece` cannot be made for `spec` ("" if it can), in the active language (the
    reader's, not necessarily the kit's)."""
    if spec.size not in piece.sizes:
        return _("This piece does not come in that paper size.")
    return piece.refusal(spec)


def build_piece(piece: Piece, spec: KitSpec) -> bytes:
    """The piece's PDF, everything on it in the kit's language; KitRefused (with the reason in
    the active language) if it cannot be made."""
    refusal = piece_refusal(piece, spec)
    if refusal:
        raise KitRefused(refusal)
    with translation.override(spec.language):
        return render_pdf(piece.layout, piece.data(spec))


__all__ = ["PIECES", "KitRefused", "build_piece", "kit_spec", "piece_refusal"]
