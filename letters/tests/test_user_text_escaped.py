"""Writers' text is shown as text wherever moderators, translators and the mail desk read it:
a script, an event handler or a javascript: link in a letter never becomes markup."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from cases.models import Case
from conftest import Cast
from lantern.testing import HOSTILE_TEXTS as PAYLOADS
from lantern.testing import assert_inert
from letters.models import Letter
from letters.services import approve_letter
from letters.tests.conftest import CLEAN_PL, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(campaign: Campaign, prisoner: Case) -> Letter:
    text = CLEAN_PL + "\n" + "\n".join(PAYLOADS)
    return write(campaign, prisoner, text, author_name=PAYLOADS[0])


def test_the_moderation_queue_and_page_show_the_letter_as_text(
    client: Client, cast: Cast, hostile: Letter
) -> None:
    client.force_login(cast.moderator)
    assert_inert(client.get(reverse("letters:moderate")).content.decode(), shown=False)
    assert_inert(client.get(reverse("letters:moderate_letter", args=[hostile.pk])).content.decode())


def test_the_translation_page_shows_the_letter_as_text(
    client: Client, cast: Cast, hostile: Letter
) -> None:
    approve_letter(hostile, cast.moderator)
    client.force_login(cast.organizer)
    assert_inert(
        client.get(reverse("letters:translate_letter", args=[hostile.pk])).content.decode()
    )
