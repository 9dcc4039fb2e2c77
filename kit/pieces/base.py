"""The one shape of a kit piece: what it is, which paper it comes on, when it cannot be made,
and the data its Typst layout prints. Each piece is a module in kit/pieces/ with a layout
in kit/pdf/ (docs/KIT.md, "How to add a piece")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.functional import Promise

from campaigns.models import Campaign
from cases.models import Case
from partners.models import Partner

LAYOUTS = Path(__file__).resolve().parent.parent / "pdf"
# Paper sizes a piece may come in, as the layouts name them (Typst's paper names).
SIZES = ("a4", "a3")
# Most sheets one printout holds (petition sheets, pages of postcards).
MAX_SHEETS = 50


@dataclass(frozen=True)
class KitSpec:
    """One printout asked for: the campaign and case (their texts already in `language`),
    the partner whose printout it is (None: the organizers'), the paper and the number of
    sheets (petition sheets, each with its own numbers)."""

    campaign: Campaign
    case: Case
    language: str
    partner: Partner | None
    size: str = "a4"
    sheets: int = 1


@dataclass(frozen=True)
class Piece:
    slug: str
    title: str | Promise
    purpose: str | Promise  # what a group does with it, one or two sentences
    layout: Path
    data: Callable[[KitSpec], dict[str, Any]]
    # Why it cannot be made for this campaign and case ("" if it can), in the active language.
    refusal: Callable[[KitSpec], str] = lambda spec: ""
    sizes: tuple[str, ...] = ("a4",)
    takes_sheets: bool = False  # the printout holds as many numbered sheets as asked for

    def filename(self, spec: KitSpec) -> str:
        size = f"-{spec.size}" if len(self.sizes) > 1 else ""
        return f"{spec.campaign.slug}-{spec.case.slug}-{self.slug}{size}-{spec.language}.pdf"
