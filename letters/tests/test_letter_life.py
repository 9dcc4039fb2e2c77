"""One letter's whole life up to the mail desk, through the pages each role uses."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from actions.tallies import read_totals
from campaigns.models import Campaign
from conftest import Cast
from lantern.testing import with_pow
from letters.models import Letter
from letters.services import is_ready_for_mail
from letters.tests.conftest import CLEAN_PL

pytestmark = pytest.mark.django_db


def test_written_moderated_translated_and_ready_for_the_mail_desk(
    cast: Cast, campaign: Campaign, translator: User
) -> None:
    supporter, moderator, volunteer = Client(), Client(), Client()
    moderator.force_login(cast.moderator)
    volunteer.force_login(translator)

    supporter.post(
        reverse("letters:write", args=[campaign.slug]),
        with_pow(
            {"kind": "letter", "text": CLEAN_PL, "author_name": "Zofia", "author_country": "PL"}
        ),
    )
    letter = Letter.objects.get()
    assert read_totals(campaign.pk).total == 1

    queue = moderator.get(reverse("letters:moderate")).content.decode()
    assert reverse("letters:moderate_letter", args=[letter.pk]) in queue
    moderator.post(reverse("letters:approve", args=[letter.pk]))
    assert reverse("letters:moderate_letter", args=[letter.pk]) not in (
        moderator.get(reverse("letters:moderate")).content.decode()
    )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED
    assert not is_ready_for_mail(letter), "the colony does not read Polish"

    assert "From pl into ru, be" in volunteer.get(reverse("letters:translate")).content.decode()
    volunteer.post(
        reverse("letters:translate_letter", args=[letter.pk]),
        {"language": "ru", "text": "Дорогой Алесь! Желаю здоровья и сил."},
    )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.TRANSLATED
    assert is_ready_for_mail(letter)
    assert read_totals(campaign.pk).total == 1, "counted once, when it was written"
