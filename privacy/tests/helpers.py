"""What the privacy tests share: a letter whose author left an address."""

from __future__ import annotations

from campaigns.models import Campaign
from letters.models import Letter
from letters.services import LetterInput, submit_letter


def write_with_contact(campaign: Campaign, email: str = "zofia@example.org") -> Letter:
    """A letter to the campaign's case from Zofia, who agreed to be written to at `email`."""
    data = LetterInput(
        kind=Letter.Kind.LETTER,
        text="Dear Ales, we think of you.",
        author_name="Zofia",
        author_country="PL",
        author_email=email,
        consent_contact=True,
    )
    return submit_letter(campaign, campaign.cases.get(), data)
