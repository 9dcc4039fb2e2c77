"""A rejected letter's author hears why: a real task worker, a real SMTP server on loopback."""

from __future__ import annotations

from email.header import decode_header, make_header
from email.message import Message

import pytest
from django.utils import translation
from django.utils.translation import gettext

from campaigns.models import Campaign
from cases.models import Case
from conftest import Cast, SmtpServer
from lantern.testing import run_task_worker
from letters.services import reject_letter
from letters.tests.conftest import FLAGGED_RU, write

pytestmark = pytest.mark.django_db(transaction=True)  # the task is enqueued on commit

REASON = "Your letter speaks of the war and of the sentence; the censor would stop it."


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "ascii")


def test_the_author_is_emailed_the_reason(
    smtp_server: SmtpServer, campaign: Campaign, prisoner: Case, cast: Cast
) -> None:
    letter = write(
        campaign,
        prisoner,
        FLAGGED_RU,
        author_name="Zofia Łukasiewicz",
        author_email="Zofia.L@example.org",
        consent_contact=True,
    )
    reject_letter(letter, REASON, cast.moderator)
    assert smtp_server.messages == [], "the email waits for the worker"

    run_task_worker()

    (message,) = smtp_server.messages
    assert message["To"] == "zofia.l@example.org"
    assert str(make_header(decode_header(message["Subject"]))) == (
        "Your letter to Ales Bialiatski was not sent"
    )
    text = body(message)
    assert "Hello Zofia Łukasiewicz," in text
    assert REASON in text
    assert FLAGGED_RU in text, "the author gets their own text back"
    assert "&#x27;" not in text and "&quot;" not in text, "plain text, not HTML-escaped"


def test_an_author_without_an_address_gets_nothing(
    smtp_server: SmtpServer, campaign: Campaign, prisoner: Case, cast: Cast
) -> None:
    reject_letter(write(campaign, prisoner, FLAGGED_RU), REASON, cast.moderator)
    run_task_worker()
    assert smtp_server.messages == []


def test_the_email_is_in_the_language_of_the_page_the_author_wrote_from(
    smtp_server: SmtpServer, campaign: Campaign, prisoner: Case, cast: Cast
) -> None:
    """A Polish page, a letter in Russian for the prison: the author reads Polish."""
    letter = write(
        campaign,
        prisoner,
        FLAGGED_RU,
        author_email="zofia@example.org",
        consent_contact=True,
        author_language="pl",
    )
    assert letter.author_language == "pl"
    reject_letter(letter, REASON, cast.moderator)
    run_task_worker()

    (message,) = smtp_server.messages
    with translation.override("pl"):
        expected = gettext("Your letter to %(name)s was not sent") % {"name": "Ales Bialiatski"}
    assert expected != "Your letter to Ales Bialiatski was not sent", "Polish catalog in use"
    assert str(make_header(decode_header(message["Subject"]))) == expected
