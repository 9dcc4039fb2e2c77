"""Signatures held past a soft rate limit: an organizer approves them in bulk (counted as
any signature is) or rejects them (discarded); the totals follow the ledger."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.tallies import read_totals
from actions.types import Source
from conftest import Cast
from lantern.testing import make_campaign, make_partner, run_task_worker
from petitions.models import Signature
from petitions.services import (
    SignatureInput,
    SignOutcome,
    approve_held_signatures,
    confirm_signature,
    reject_held_signatures,
    sign_petition,
)

pytestmark = pytest.mark.django_db


def held(campaign: Any, n: int, **kwargs: Any) -> Signature:
    data = SignatureInput(name=f"Signer {n}", email=f"s{n}@example.org", country="PL")
    assert sign_petition(campaign, data, held=True, **kwargs) is SignOutcome.HELD
    return Signature.objects.get(email_hash__isnull=False, name=f"Signer {n}")


def changelist() -> str:
    return reverse("admin:petitions_signature_changelist")


@pytest.mark.django_db(transaction=True)  # tasks are enqueued on commit
def test_a_held_signature_is_stored_but_neither_counted_nor_emailed(smtp_server: Any) -> None:
    campaign = make_campaign(requires_confirmation=True)
    signature = held(campaign, 1)
    run_task_worker()
    assert signature.held_for_review and signature.action is None
    assert smtp_server.messages == []
    assert read_totals(campaign.pk).total == 0


def test_approving_counts_through_the_ledger_once() -> None:
    partner = make_partner()
    campaign = make_campaign(requires_confirmation=False, partners=[partner])
    signature = held(campaign, 1, partner=partner, source=Source.WIDGET)
    assert approve_held_signatures([signature]) == 1
    assert approve_held_signatures([signature]) == 0
    signature.refresh_from_db()
    action = Action.objects.get()
    assert signature.action == action and not signature.held_for_review
    assert (action.partner, action.source) == (partner, Source.WIDGET)
    assert read_totals(campaign.pk).total == 1


@pytest.mark.django_db(transaction=True)  # tasks are enqueued on commit
def test_approving_where_the_campaign_asks_for_confirmation_sends_the_link_first(
    smtp_server: Any,
) -> None:
    campaign = make_campaign(requires_confirmation=True)
    signature = held(campaign, 1)
    approve_held_signatures([signature])
    run_task_worker()
    (message,) = smtp_server.messages
    assert message["To"] == "s1@example.org"
    assert read_totals(campaign.pk).total == 0
    signature.refresh_from_db()
    confirm_signature(signature)
    assert read_totals(campaign.pk).total == 1


def test_rejecting_discards_and_changes_no_total() -> None:
    campaign = make_campaign(requires_confirmation=False)
    signature = held(campaign, 1)
    sign_petition(campaign, SignatureInput(name="Counted", email="c@example.org", country="PL"))
    assert reject_held_signatures([signature]) == 1
    assert not Signature.objects.filter(pk=signature.pk).exists()
    assert read_totals(campaign.pk).total == 1


def test_an_organizer_approves_and_rejects_in_bulk_in_the_admin(client: Client, cast: Cast) -> None:
    campaign = make_campaign(requires_confirmation=False)
    approve = [held(campaign, n) for n in range(3)]
    reject = [held(campaign, n) for n in range(3, 5)]
    client.force_login(cast.organizer)
    listing = client.get(changelist() + "?held=yes").content.decode()
    assert "Signer 4" in listing and "Approve the held signatures" in listing
    response = client.post(
        changelist(),
        {"action": "approve_held", "_selected_action": [s.pk for s in approve]},
        follow=True,
    )
    assert "3 held signatures approved." in response.content.decode()
    client.post(changelist(), {"action": "reject_held", "_selected_action": [s.pk for s in reject]})
    assert read_totals(campaign.pk).total == 3
    assert Signature.objects.count() == 3
    assert not Signature.objects.filter(held_for_review=True).exists()


def test_people_who_are_not_staff_cannot_review(client: Client, cast: Cast) -> None:
    campaign = make_campaign(requires_confirmation=False)
    signature = held(campaign, 1)
    client.force_login(cast.moderator)
    response = client.post(
        changelist(), {"action": "approve_held", "_selected_action": [signature.pk]}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert read_totals(campaign.pk).total == 0
