"""Data the partner tests share: members of each role, a partner's actions and signers."""

from __future__ import annotations

from django.contrib.auth.models import User

from actions.rows import parse_action_fields
from actions.services import record_actions
from actions.types import Source
from campaigns.models import Campaign
from conftest import PASSWORD, Cast
from lantern.testing import make_partner
from partners.models import Membership, Partner
from petitions.models import Signature
from petitions.services import SignatureInput, sign_petition


def member(partner: Partner, role: str, username: str | None = None) -> User:
    user = User.objects.create_user(username or f"{role}-{partner.slug}", password=PASSWORD)
    Membership.objects.create(user=user, partner=partner, role=role)
    return user


def one_of_each_role(cast: Cast) -> dict[str, User]:
    """The cast's organizer and outsider, one member of each role in the cast's partner
    (keyed by role), and "other_partner_admin", an admin of another partner ("elsewhere")."""
    users = {"organizer": cast.organizer, "outsider": cast.outsider}
    users[Membership.Role.REPORTER] = cast.reporter
    users[Membership.Role.MODERATOR] = cast.moderator
    for role in Membership.Role.values:
        if role not in users:
            users[role] = member(cast.partner, role)
    users["other_partner_admin"] = member(
        make_partner(slug="elsewhere"), Membership.Role.PARTNER_ADMIN
    )
    return users


def report(campaign: Campaign, partner: Partner, *items: tuple[str, str, int]) -> None:
    """Record (external_id, country, count) letters for the partner."""
    rows = [
        parse_action_fields(
            {
                "occurred_at": "2012-12-10T18:00:00+01:00",
                "country": country,
                "city": "Warsaw" if country == "PL" else "",
                "action_type": "letter",
                "count": str(count),
                "channel": "event",
                "external_id": external_id,
            }
        )
        for external_id, country, count in items
    ]
    record_actions(campaign, partner, rows, source=Source.IMPORT)


def signer(
    campaign: Campaign,
    partner: Partner | None,
    name: str,
    email: str,
    *,
    contact: bool = True,
    country: str = "PL",
) -> Signature:
    data = SignatureInput(
        name=name, email=email, country=country, city="Kraków", consent_contact=contact
    )
    sign_petition(campaign, data, partner=partner)
    return Signature.objects.get(campaign=campaign, name=name)
