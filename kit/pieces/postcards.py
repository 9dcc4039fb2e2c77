"""Pre-addressed postcards to the case's current facility: a page of guidance in the writer's
language, then sheets of four A6 postcards (148 × 105 mm, cut from A4), each with the
recipient line and the address exactly as the facility wants them, in the local script.

Refused, with the reason, when cards cannot reach the person: writing could endanger them,
the facility does not pass on postcards, the person is in transit (mail is held), released,
or has no known address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.types import ActionType
from cases.models import AddressPeriod, Case
from kit.pieces.base import LAYOUTS, KitSpec, Piece
from kit.printing import language_name, name_in
from lantern.i18n import territory_name

CARDS_PER_SHEET = 4


def postcards_refusal(spec: KitSpec) -> str:
    case = spec.case
    name = name_in(case, spec.language)
    if ActionType.CARD not in spec.campaign.action_types:
        return _("This campaign does not collect postcards.")
    if not case.may_be_written_to:
        return _(
            "%(name)s may not receive postcards: writing could put them in danger. Print the "
            "poster and the petition sheet instead."
        ) % {"name": name}
    if case.status == Case.Status.RELEASED:
        return _("%(name)s has been released: there is no prison to write to.") % {"name": name}
    if case.status == Case.Status.DIED_IN_CUSTODY:
        return _("%(name)s died in custody.") % {"name": name}
    if case.mail_on_hold:
        return _(
            "%(name)s is being moved between prisons: mail is held until the new address is "
            "known. Print the postcards once it is."
        ) % {"name": name}
    address = case.current_address()
    if address is None:
        return _("We have no current address for %(name)s.") % {"name": name}
    if not address.facility.postcards_allowed:
        return _(
            "%(facility)s does not pass on postcards: write a letter through the campaign "
            "page instead."
        ) % {"facility": address.facility.name}
    return ""


def guidance(spec: KitSpec, address: AddressPeriod, name: str) -> list[str]:
    """What a writer needs to know before writing a card that no moderator reads first."""
    case, facility = spec.case, address.facility
    notes = [
        _(
            "These cards go to %(name)s at %(facility)s. The prison's censor reads every card, "
            "and no volunteer reads them before you post them: what you write is what arrives."
        )
        % {"name": name, "facility": facility.name},
        _(
            "Write about everyday things: the seasons, books, your town, your family. Do not "
            "write about the war, politics or the criminal case; do not call for protests; "
            "leave out phone numbers, links and addresses. Such cards do not get through, "
            "and can hurt the person."
        ),
    ]
    if facility.accepted_languages:
        languages = ", ".join(
            language_name(code, spec.language) for code in facility.accepted_languages
        )
        notes.append(
            _(
                "The prison reads: %(languages)s. Cards are not translated, so write in one of "
                "these languages if you can; otherwise keep to a short greeting, your name and "
                "a drawing."
            )
            % {"languages": languages}
        )
    if case.named_correspondents_only:
        notes.append(_("Sign with your first and last name: only signed cards reach this person."))
    if case.letters_from_abroad_risky:
        notes.append(
            _(
                "Mail from abroad can draw the prison's attention to this person. Write warmly "
                "and simply."
            )
        )
    if facility.writer_guidance and spec.language == settings.LANGUAGE_CODE:
        notes.append(facility.writer_guidance)
    country = territory_name(facility.country) or facility.country
    notes += [
        _(
            "Do not change the address: it is printed as the prison requires it. Put a stamp "
            "for a postcard to %(country)s on each card and post it."
        )
        % {"country": country},
        _(
            "Then tell us how many cards your group sent, in the event report (postcards) or "
            "in the CSV (action_type card), so that every card is counted."
        ),
    ]
    return notes


def postcards_data(spec: KitSpec) -> dict[str, Any]:
    address = spec.case.current_address()
    if address is None:  # postcards_refusal said so before
        raise ValueError("no current address")
    name = name_in(spec.case, spec.language)
    card = {"recipient": address.recipient_line, "address": address.lines}
    return {
        "title": _("Postcards to %(name)s") % {"name": name},
        "language": spec.language,
        "heading": _("Postcards to %(name)s") % {"name": name},
        "how": _(
            "Print the following pages on card if you can, and cut along the dashed lines: "
            "four postcards (A6, 148 × 105 mm) a page, each addressed to the prison."
        ),
        "guidance": guidance(spec, address, name),
        "stamp": _("Stamp"),
        "cards": [card] * (CARDS_PER_SHEET * spec.sheets),
    }


PIECE = Piece(
    slug="postcards",
    title=gettext_lazy("Pre-addressed postcards"),
    purpose=gettext_lazy(
        "Postcards for your group to write and post: four to an A4 page, addressed to the "
        "prison as it requires, with a page of guidance on what gets through the censor."
    ),
    layout=LAYOUTS / "postcards.typ",
    data=postcards_data,
    refusal=postcards_refusal,
    takes_sheets=True,
)
