from __future__ import annotations

import pytest
from django.db.models import Sum
from nacl.public import PrivateKey

from actions.models import Action
from actions.tallies import read_totals
from lantern.sealing import unseal
from lantern.testing import make_campaign
from petitions.models import Signature
from petitions.services import (
    CampaignNotSignable,
    SignatureInput,
    SignOutcome,
    sign_petition,
)

pytestmark = pytest.mark.django_db


def signer(email: str = "anna.nowak@example.org", **fields: object) -> SignatureInput:
    values: dict[str, object] = {"name": "Anna Nowak", "email": email, "country": "PL"}
    values.update(fields)
    return SignatureInput(**values)  # type: ignore[arg-type]


def test_signature_is_counted_in_ledger_and_tally() -> None:
    campaign = make_campaign()
    assert sign_petition(campaign, signer(city="Warsaw")) is SignOutcome.COUNTED
    action = Action.objects.get()
    assert (action.action_type, action.count, action.country, action.city) == (
        "signature",
        1,
        "PL",
        "Warsaw",
    )
    assert action.case == campaign.cases.get()
    assert read_totals(campaign.pk).total == 1


def test_email_is_stored_only_hashed_and_sealed(contact_key: PrivateKey) -> None:
    campaign = make_campaign()
    sign_petition(campaign, signer("Anna.Nowak@Example.org"))
    signature = Signature.objects.get()
    stored = {f.name: getattr(signature, f.name) for f in Signature._meta.concrete_fields}
    assert not any("anna" in str(value).lower() for key, value in stored.items() if key != "name")
    assert signature.email_sealed is not None
    assert unseal(signature.email_sealed, contact_key) == "anna.nowak@example.org"


@pytest.mark.parametrize(
    "second",
    [
        "ANNA.NOWAK@EXAMPLE.ORG",
        "  anna.nowak@example.org ",
        "anna.nowak+marathon@example.org",
    ],
)
def test_second_signature_with_same_email_is_not_counted(second: str) -> None:
    campaign = make_campaign()
    assert sign_petition(campaign, signer()) is SignOutcome.COUNTED
    assert (
        sign_petition(campaign, signer(second, name="Someone Else")) is SignOutcome.ALREADY_SIGNED
    )
    assert Signature.objects.count() == 1
    assert read_totals(campaign.pk).total == 1


def test_gmail_dots_and_googlemail_are_one_mailbox() -> None:
    campaign = make_campaign()
    sign_petition(campaign, signer("ales.b@gmail.com"))
    outcome = sign_petition(campaign, signer("Al.e.s.B+w4r@googlemail.com"))
    assert outcome is SignOutcome.ALREADY_SIGNED


def test_dots_count_as_different_people_where_the_domain_keeps_them() -> None:
    campaign = make_campaign()
    sign_petition(campaign, signer("a.nowak@example.org"))
    assert sign_petition(campaign, signer("an.owak@example.org")) is SignOutcome.COUNTED


def test_same_email_may_sign_another_campaign() -> None:
    first, second = make_campaign(), make_campaign()
    sign_petition(first, signer())
    assert sign_petition(second, signer()) is SignOutcome.COUNTED


def test_draft_campaign_does_not_take_signatures() -> None:
    campaign = make_campaign(status="draft")
    with pytest.raises(CampaignNotSignable):
        sign_petition(campaign, signer())
    assert not Signature.objects.exists()


def test_tally_equals_ledger_after_many_signatures() -> None:
    campaign = make_campaign()
    for n in range(40):
        sign_petition(campaign, signer(f"s{n}@example.org", country=["PL", "JP", "CA"][n % 3]))
    ledger = Action.objects.filter(campaign=campaign).aggregate(n=Sum("count"))["n"]
    totals = read_totals(campaign.pk)
    assert totals.total == ledger == 40
    assert dict(totals.by_country) == {"PL": 14, "JP": 13, "CA": 13}
