"""The moderation services: approve, edit (the original is kept), reject with a reason."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from campaigns.models import Campaign
from cases.models import Case
from conftest import Cast
from letters.models import Letter
from letters.services import LetterStateError, approve_letter, edit_letter, reject_letter
from letters.tests.conftest import CLEAN_RU, FLAGGED_RU, write

pytestmark = pytest.mark.django_db


def test_approving_records_who_and_when(campaign: Campaign, prisoner: Case, cast: Cast) -> None:
    letter = write(campaign, prisoner, CLEAN_RU)
    approve_letter(letter, cast.moderator)
    assert letter.status == Letter.Status.APPROVED
    assert letter.moderated_by == cast.moderator
    assert letter.moderated_at is not None


def test_a_letter_is_approved_only_once(campaign: Campaign, prisoner: Case, cast: Cast) -> None:
    letter = write(campaign, prisoner, CLEAN_RU)
    stale = Letter.objects.get(pk=letter.pk)
    approve_letter(letter, cast.moderator)
    with pytest.raises(LetterStateError):
        reject_letter(stale, "Too late", cast.organizer)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.APPROVED


def test_an_edit_keeps_the_original_and_screens_again(
    campaign: Campaign, prisoner: Case, cast: Cast
) -> None:
    letter = write(campaign, prisoner, FLAGGED_RU)
    assert letter.status == Letter.Status.NEEDS_REVIEW

    edit_letter(letter, "Дорогой Алесь! Мы все помним о вас и ждём встречи.", cast.moderator)
    edit_letter(letter, "Дорогой Алесь! Мы все помним о вас и ждём скорой встречи.", cast.moderator)

    assert letter.original_text == FLAGGED_RU, "the author's own text, not the first edit"
    assert letter.text.endswith("скорой встречи.")
    assert letter.was_edited
    assert letter.status == Letter.Status.SUBMITTED
    assert not letter.findings.exists()


def test_an_edit_that_adds_a_banned_word_is_flagged(
    campaign: Campaign, prisoner: Case, cast: Cast
) -> None:
    letter = write(campaign, prisoner, CLEAN_RU)
    edit_letter(letter, CLEAN_RU + " Долой войну!", cast.moderator)
    assert letter.status == Letter.Status.NEEDS_REVIEW
    assert sorted(letter.findings.values_list("matched_text", flat=True)) == ["Долой", "войну"]


def test_rejecting_needs_a_reason(campaign: Campaign, prisoner: Case, cast: Cast) -> None:
    letter = write(campaign, prisoner, FLAGGED_RU)
    with pytest.raises(ValueError, match="reason"):
        reject_letter(letter, "  ", cast.moderator)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.NEEDS_REVIEW


@pytest.mark.django_db(transaction=True)
def test_rejecting_queues_an_email_only_when_the_author_left_an_address(
    campaign: Campaign, prisoner: Case, cast: Cast
) -> None:
    silent = write(campaign, prisoner, FLAGGED_RU)
    reachable = write(
        campaign, prisoner, FLAGGED_RU, author_email="z@example.org", consent_contact=True
    )
    reject_letter(silent, "It speaks of the war.", cast.moderator)
    assert not DBTaskResult.objects.exists()
    reject_letter(reachable, "It speaks of the war.", cast.moderator)
    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [reachable.pk]
    assert reachable.rejection_reason == "It speaks of the war."
