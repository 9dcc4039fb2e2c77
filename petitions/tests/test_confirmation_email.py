"""Signing a petition that asks for confirmation: a real email, a real worker, a real link.

The sign form is posted with a CSRF-enforcing client, the queued task runs in the database
worker (`db_worker --batch`), the email travels over SMTP to a server on loopback, and the
link in it is followed the way a mail scanner (GET) and a person (POST) would.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.tallies import read_totals
from actions.types import ActionType
from campaigns.models import Campaign
from conftest import SmtpServer
from lantern.testing import make_campaign, run_task_worker, with_pow
from petitions.models import Signature

pytestmark = pytest.mark.django_db(transaction=True)  # tasks are enqueued on commit

SITE_URL = "https://lantern.example.org"
TYPED_EMAIL = " Zofia.Nowak+W4R@Example.ORG "
NORMALIZED_EMAIL = "zofia.nowak@example.org"
FORM = {
    "name": "Zofia Łukasiewicz",
    "name_display": "full",
    "email": TYPED_EMAIL,
    "country": "PL",
    "city": "Łódź",
    "consent_letter": "on",
    "consent_contact": "on",
}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = SITE_URL


@pytest.fixture
def campaign() -> Campaign:
    return make_campaign(requires_confirmation=True, title="Write for Rights: Ales Bialiatski")


@pytest.fixture
def browser() -> Client:
    """A client that, like a browser, must send the CSRF token of the form it was shown."""
    return Client(enforce_csrf_checks=True)


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def sign(browser: Client, campaign: Campaign, **changes: str) -> str:
    """Sign from the campaign page as a visitor would; return where the form redirects."""
    page = browser.get(reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    data = with_pow({**FORM, **changes, "csrfmiddlewaretoken": csrf_token(page)})
    response = browser.post(reverse("petitions:sign", args=[campaign.slug]), data)
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


def header(message: Message, name: str) -> str:
    return str(make_header(decode_header(message[name])))


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "ascii")


def confirm_path(message: Message) -> str:
    """The path of the confirmation link in the email, which must start with SITE_URL."""
    match = re.search(re.escape(SITE_URL) + r"(/signatures/confirm/[^/\s]+/)", body(message))
    assert match, body(message)
    return match.group(1)


def signed_and_emailed(browser: Client, campaign: Campaign, smtp: SmtpServer) -> str:
    """Sign, run the worker, and return the path of the link in the one email it sent."""
    sign(browser, campaign)
    run_task_worker()
    (message,) = smtp.messages
    return confirm_path(message)


def assert_nothing_counted(campaign: Campaign) -> None:
    assert read_totals(campaign.pk).total == 0
    assert not Action.objects.exists()
    assert not Signature.objects.filter(confirmed_at__isnull=False).exists()


def test_signing_sends_one_confirmation_email_and_counts_nothing_yet(
    browser: Client, campaign: Campaign, smtp_server: SmtpServer
) -> None:
    location = sign(browser, campaign)

    assert location == reverse("petitions:signed", args=[campaign.slug]) + (
        "?outcome=confirmation_sent"
    )
    assert "we have emailed you a link" in browser.get(location).content.decode()
    assert smtp_server.messages == [], "the email waits for the worker"
    assert_nothing_counted(campaign)

    run_task_worker()

    (message,) = smtp_server.messages
    assert message["To"] == NORMALIZED_EMAIL
    assert header(message, "Subject") == "Confirm your signature: Write for Rights: Ales Bialiatski"
    text = body(message)
    assert text.splitlines()[0] == "Hello Zofia Łukasiewicz,"
    assert confirm_path(message).startswith("/signatures/confirm/")
    assert_nothing_counted(campaign)
    assert Signature.objects.get().is_counted is False


def test_opening_the_link_shows_a_confirm_button_and_counts_nothing(
    browser: Client, campaign: Campaign, smtp_server: SmtpServer
) -> None:
    path = signed_and_emailed(browser, campaign, smtp_server)

    scanner = Client()  # a mail scanner follows links with GET and never submits forms
    response = scanner.get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post">' in page
    assert "Confirm my signature" in page
    assert_nothing_counted(campaign)


def test_pressing_confirm_counts_one_signature_and_pressing_again_counts_nothing_more(
    browser: Client, campaign: Campaign, smtp_server: SmtpServer
) -> None:
    path = signed_and_emailed(browser, campaign, smtp_server)
    token = csrf_token(browser.get(path).content.decode())

    first = browser.post(path, {"csrfmiddlewaretoken": token})

    assert first.status_code == 200
    assert "your signature is confirmed and counted" in first.content.decode()
    action = Action.objects.get()
    assert (action.action_type, action.count, action.country, action.city) == (
        ActionType.SIGNATURE,
        1,
        "PL",
        "Łódź",
    )
    signature = Signature.objects.get()
    assert signature.action_id == action.pk
    assert signature.confirmed_at is not None
    assert read_totals(campaign.pk).total == 1

    second = browser.post(path, {"csrfmiddlewaretoken": token})

    assert second.status_code == 200
    assert "Your signature was already confirmed." in second.content.decode()
    assert Action.objects.count() == 1
    assert read_totals(campaign.pk).total == 1
    later_visit = browser.get(path).content.decode()
    assert "already confirmed" in later_visit
    assert "Confirm my signature" not in later_visit  # no confirm button, only the page's own forms
    assert later_visit.count("<form") == later_visit.count('class="language"')


def test_tampered_or_forged_link_is_404_and_counts_nothing(
    browser: Client, campaign: Campaign, smtp_server: SmtpServer
) -> None:
    path = signed_and_emailed(browser, campaign, smtp_server)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_salt = signing.dumps(Signature.objects.get().pk, compress=True)

    for bad in (tampered, other_salt, "not-a-token"):
        bad_path = reverse("petitions:confirm", args=[bad])
        assert browser.get(bad_path).status_code == 404, bad
        response = Client().post(bad_path)
        assert response.status_code == 404, bad
        assert "This link does not work" in response.content.decode()
    assert_nothing_counted(campaign)


def test_link_works_until_the_confirmation_window_ends_then_is_404(
    browser: Client,
    campaign: Campaign,
    smtp_server: SmtpServer,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = signed_and_emailed(browser, campaign, smtp_server)
    token = csrf_token(browser.get(path).content.decode())
    sent_at = time.time()
    window = timedelta(days=settings.CONFIRMATION_MAX_AGE_DAYS).total_seconds()

    monkeypatch.setattr(time, "time", lambda: sent_at + window - 60)
    assert browser.get(path).status_code == 200

    monkeypatch.setattr(time, "time", lambda: sent_at + window + 60)
    assert browser.get(path).status_code == 404
    response = browser.post(path, {"csrfmiddlewaretoken": token})

    assert response.status_code == 404
    assert "too old" in response.content.decode()
    assert_nothing_counted(campaign)


def test_signing_again_before_confirming_resends_the_link_and_counts_once_confirmed(
    browser: Client, campaign: Campaign, smtp_server: SmtpServer
) -> None:
    sign(browser, campaign)
    run_task_worker()
    again = sign(browser, campaign, email="ZOFIA.NOWAK@example.org", name="Zofia N.")
    run_task_worker()

    assert again.endswith("?outcome=confirmation_sent"), "the link went out again"
    first, second = smtp_server.messages
    assert first["To"] == second["To"] == NORMALIZED_EMAIL
    assert Signature.objects.count() == 1
    assert Signature.objects.get().name == "Zofia Łukasiewicz", "the first signature stands"
    assert_nothing_counted(campaign)

    token = csrf_token(browser.get(confirm_path(second)).content.decode())
    browser.post(confirm_path(second), {"csrfmiddlewaretoken": token})
    browser.post(confirm_path(first), {"csrfmiddlewaretoken": token})

    assert Action.objects.count() == 1
    assert read_totals(campaign.pk).total == 1
    after = sign(browser, campaign)
    run_task_worker()
    assert after.endswith("?outcome=already_signed")
    assert len(smtp_server.messages) == 2, "a confirmed signer is not emailed again"
