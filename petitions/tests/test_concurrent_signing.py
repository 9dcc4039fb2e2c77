"""Two requests with the same mailbox at the same moment: exactly one counts."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum

from actions.models import Action
from actions.tallies import read_totals
from lantern.testing import at_once, make_campaign
from petitions.models import Signature
from petitions.services import SignatureInput, SignOutcome, sign_petition

SPELLINGS = [
    "Anna.Nowak@example.org",
    "anna.nowak@example.org",
    " ANNA.NOWAK@EXAMPLE.ORG",
    "anna.nowak+w4r@example.org",
]


def _sign_all_at_once(campaign_pk: int, emails: list[str]) -> list[SignOutcome]:
    from campaigns.models import Campaign

    def sign(email: str) -> SignOutcome:
        campaign = Campaign.objects.get(pk=campaign_pk)
        return sign_petition(campaign, SignatureInput(name="Anna Nowak", email=email, country="PL"))

    return at_once(sign, emails)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", [5])
def test_same_mailbox_signing_concurrently_counts_once(rounds: int) -> None:
    for _ in range(rounds):
        campaign = make_campaign()
        outcomes = _sign_all_at_once(campaign.pk, SPELLINGS * 2)
        assert Counter(outcomes) == {SignOutcome.COUNTED: 1, SignOutcome.ALREADY_SIGNED: 7}
        assert Signature.objects.filter(campaign=campaign).count() == 1
        assert Action.objects.filter(campaign=campaign).count() == 1
        assert read_totals(campaign.pk).total == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_distinct_signers_all_count_and_tally_equals_ledger() -> None:
    campaign = make_campaign()
    emails = [f"signer{n}@example.org" for n in range(16)]
    outcomes = _sign_all_at_once(campaign.pk, emails)
    assert outcomes.count(SignOutcome.COUNTED) == 16
    ledger = Action.objects.filter(campaign=campaign).aggregate(n=Sum("count"))["n"]
    assert read_totals(campaign.pk).total == ledger == 16


@pytest.mark.django_db(transaction=True)
def test_concurrent_signing_on_postgresql(postgres_only: None) -> None:
    """The same race on PostgreSQL, where writers truly run in parallel."""
    assert connection.vendor == "postgresql"
    campaign = make_campaign()
    outcomes = _sign_all_at_once(campaign.pk, SPELLINGS * 3)
    assert outcomes.count(SignOutcome.COUNTED) == 1
    assert Signature.objects.filter(campaign=campaign).count() == 1
