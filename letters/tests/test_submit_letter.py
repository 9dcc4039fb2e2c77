from __future__ import annotations

import pytest
from nacl.public import PrivateKey

from actions.models import Action
from actions.tallies import read_totals
from actions.types import ActionType, Channel
from campaigns.models import Campaign
from cases.models import Case
from lantern.sealing import unseal
from lantern.testing import at_once, make_campaign
from letters.models import Letter
from letters.services import WritingRefused, new_submission_key
from letters.tests.conftest import CLEAN_PL, CLEAN_RU, FLAGGED_RU, write

pytestmark = pytest.mark.django_db


def test_a_letter_counts_in_the_ledger_and_tally_at_once(
    campaign: Campaign, prisoner: Case
) -> None:
    letter = write(campaign, prisoner, CLEAN_RU)

    action = Action.objects.get()
    assert letter.action == action
    assert (action.action_type, action.count, action.channel) == (
        ActionType.LETTER,
        1,
        Channel.ONLINE,
    )
    assert (action.case, action.country) == (prisoner, "PL")
    assert read_totals(campaign.pk).total == 1


def test_a_postcard_counts_as_a_card(campaign: Campaign, prisoner: Case) -> None:
    write(campaign, prisoner, CLEAN_RU, kind=Letter.Kind.POSTCARD)
    assert Action.objects.get().action_type == ActionType.CARD


def test_a_clean_letter_waits_for_a_moderator_as_submitted(
    campaign: Campaign, prisoner: Case
) -> None:
    letter = write(campaign, prisoner, CLEAN_RU)
    assert letter.status == Letter.Status.SUBMITTED
    assert letter.language == "ru"
    assert not letter.findings.exists()


def test_a_letter_with_findings_needs_review(campaign: Campaign, prisoner: Case) -> None:
    letter = write(campaign, prisoner, FLAGGED_RU)
    assert letter.status == Letter.Status.NEEDS_REVIEW
    assert sorted(letter.findings.values_list("matched_text", flat=True)) == ["войне", "приговор"]


def test_a_language_the_prison_does_not_read_alone_does_not_need_review(
    campaign: Campaign, prisoner: Case
) -> None:
    letter = write(campaign, prisoner, CLEAN_PL)
    assert letter.status == Letter.Status.SUBMITTED
    assert letter.language == "pl"
    assert list(letter.findings.values_list("rule", "severity")) == [
        ("language.not_accepted", "info")
    ]


def test_the_contact_address_is_sealed_and_kept_only_with_consent(
    campaign: Campaign, prisoner: Case, contact_key: PrivateKey
) -> None:
    kept = write(
        campaign, prisoner, CLEAN_RU, author_email="Zofia@Example.org", consent_contact=True
    )
    dropped = write(campaign, prisoner, CLEAN_RU, author_email="zofia@example.org")
    assert kept.author_contact_sealed is not None
    assert unseal(kept.author_contact_sealed, contact_key) == "zofia@example.org"
    assert kept.author_email_hash is not None
    assert dropped.author_contact_sealed is None
    assert dropped.author_email_hash is None


def test_a_case_that_may_not_be_written_to_refuses_letters(
    campaign: Campaign, prisoner: Case
) -> None:
    prisoner.may_be_written_to = False
    prisoner.save(update_fields=["may_be_written_to"])
    with pytest.raises(WritingRefused, match="could put them in danger"):
        write(campaign, prisoner, CLEAN_RU)
    assert not Letter.objects.exists()
    assert not Action.objects.exists()


def test_a_prison_without_postcards_refuses_postcards(campaign: Campaign, prisoner: Case) -> None:
    facility = prisoner.current_address().facility  # type: ignore[union-attr]
    facility.postcards_allowed = False
    facility.save(update_fields=["postcards_allowed"])
    with pytest.raises(WritingRefused, match="postcards"):
        write(campaign, prisoner, CLEAN_RU, kind=Letter.Kind.POSTCARD)
    assert write(campaign, prisoner, CLEAN_RU).kind == Letter.Kind.LETTER


def test_a_campaign_without_letters_refuses_them(prisoner: Case) -> None:
    petition_only = make_campaign(cases=[prisoner], action_types=[ActionType.SIGNATURE])
    with pytest.raises(WritingRefused):
        write(petition_only, prisoner, CLEAN_RU)


def test_a_closed_campaign_refuses_letters(prisoner: Case) -> None:
    closed = make_campaign(cases=[prisoner], status=Campaign.Status.CLOSED)
    with pytest.raises(WritingRefused):
        write(closed, prisoner, CLEAN_RU)


def test_a_case_outside_the_campaign_refuses_letters(campaign: Campaign) -> None:
    other = make_campaign().cases.get()
    with pytest.raises(WritingRefused):
        write(campaign, other, CLEAN_RU)


def test_the_same_form_sent_again_is_one_letter_counted_once(
    campaign: Campaign, prisoner: Case
) -> None:
    key = new_submission_key()
    first = write(campaign, prisoner, CLEAN_RU, submission_key=key)
    again = write(campaign, prisoner, CLEAN_RU, submission_key=key)

    assert again.pk == first.pk
    assert Letter.objects.count() == 1
    assert Action.objects.count() == 1
    assert read_totals(campaign.pk).total == 1


def test_letters_from_different_forms_are_different_letters(
    campaign: Campaign, prisoner: Case
) -> None:
    write(campaign, prisoner, CLEAN_RU, submission_key=new_submission_key())
    write(campaign, prisoner, CLEAN_RU, submission_key=new_submission_key())
    write(campaign, prisoner, CLEAN_RU)  # no key (the API, imports): never deduplicated
    write(campaign, prisoner, CLEAN_RU)
    assert Letter.objects.count() == Action.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_is_one_letter_on_postgresql(
    postgres_only: None, campaign: Campaign, prisoner: Case
) -> None:
    """The retry arrives while the first request is still writing: the unique key decides."""
    key = new_submission_key()

    def send(_: int) -> int:
        return write(campaign, prisoner, CLEAN_RU, submission_key=key).pk

    letters = at_once(send, range(4))
    assert len(set(letters)) == 1 and len(letters) == 4
    assert Letter.objects.count() == Action.objects.count() == 1
    assert read_totals(campaign.pk).total == 1
