"""Signing through the widget on a partner's website.

The widget's form comes with a signed token naming the campaign and the partner; the sign
endpoint accepts only a form carrying a valid, recent token, and counts the signature for the
partner the token names (not for whatever the request claims). See docs/WIDGET.md for why this
replaces Django's cookie-based CSRF check on this one cross-origin endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

from actions.types import Source
from campaigns.models import Campaign
from partners.models import Partner
from petitions.services import SignatureInput, SignOutcome, sign_petition

FORM_TOKEN_SALT = "lantern.widgets.form"  # noqa: S105 - a namespace, not a secret
# Long enough to read the case and fill the form; short enough that a token copied from one
# page view is soon useless.
FORM_TOKEN_MAX_AGE = timedelta(hours=6)


class InvalidFormToken(Exception):
    """The form's token is missing, forged, for another campaign, or too old."""


class PartnerNotInCampaign(Exception):
    pass


@dataclass(frozen=True)
class FormTicket:
    campaign_id: int
    partner_id: int | None


def issue_form_token(campaign: Campaign, partner: Partner | None) -> str:
    ticket = {"c": campaign.pk, "p": partner.pk if partner is not None else None}
    return signing.dumps(ticket, salt=FORM_TOKEN_SALT, compress=True)


def read_form_token(token: str, campaign: Campaign) -> FormTicket:
    """The ticket a widget form carries; InvalidFormToken unless it is ours, recent and for
    this campaign."""
    try:
        data = signing.loads(token, salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise InvalidFormToken(str(exc)) from exc
    if not isinstance(data, dict) or data.get("c") != campaign.pk:
        raise InvalidFormToken("the token is for another campaign")
    partner_id = data.get("p")
    if partner_id is not None and not isinstance(partner_id, int):
        raise InvalidFormToken("the token names no partner")
    return FormTicket(campaign_id=campaign.pk, partner_id=partner_id)


def partner_for_ticket(campaign: Campaign, ticket: FormTicket) -> Partner | None:
    """The partner the signature counts for; it must still take part in the campaign."""
    if ticket.partner_id is None:
        return None
    partner = campaign.partners.filter(pk=ticket.partner_id).first()
    if partner is None:
        raise PartnerNotInCampaign(str(ticket.partner_id))
    return partner


def sign_through_widget(
    campaign: Campaign, partner: Partner | None, data: SignatureInput, *, held: bool = False
) -> SignOutcome:
    """Sign as on the campaign page, attributed to the partner whose website shows the widget:
    the signature and its ledger row carry the partner, the row's source is "widget"."""
    if partner is not None and not campaign.partners.filter(pk=partner.pk).exists():
        raise PartnerNotInCampaign(partner.slug)
    return sign_petition(campaign, data, partner=partner, source=Source.WIDGET, held=held)
