"""A supporter asks for a copy or the erasure of their data: the public page takes the
address, a link goes to that mailbox over real SMTP, and only a POST from the link (which
link scanners do not send) carries the request out. Erasure changes no total."""

from __future__ import annotations

import re
from email.message import Message

import pytest
from django.test import Client
from django.urls import reverse

from actions.tallies import read_totals
from audit.models import AuditEntry
from conftest import SmtpServer
from lantern.testing import make_campaign, run_task_worker
from letters.models import Letter
from petitions.models import Signature
from petitions.services import SignatureInput, sign_petition
from privacy.models import TransientAddress
from privacy.tests.helpers import write_with_contact
from reports.services import campaign_report

pytestmark = pytest.mark.django_db(transaction=True)  # the email is enqueued on commit
LINK = re.compile(r"https?://\S+/privacy/confirm/\S+/")


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


@pytest.fixture
def supporter() -> None:
    campaign = make_campaign(slug="w4r")
    sign_petition(
        campaign,
        SignatureInput(name="Zofia Nowak", email="Zofia@example.org", country="PL", city="Łódź"),
    )
    sign_petition(
        campaign, SignatureInput(name="Someone Else", email="x@example.org", country="DE")
    )
    write_with_contact(campaign, "zofia+letters@example.org")


def ask(client: Client, smtp_server: SmtpServer, kind: str) -> str:
    response = client.post(reverse("privacy:request"), {"email": "ZOFIA@example.org", "kind": kind})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:sent")
    run_task_worker()
    [message] = smtp_server.messages
    assert message["To"] == "zofia@example.org"
    match = LINK.search(body(message))
    assert match is not None
    return match.group(0).split("://", 1)[1].split("/", 1)[1]  # the path


def test_the_page_shows_the_form(client: Client) -> None:
    response = client.get(reverse("privacy:request"))

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_a_bad_address_is_refused_with_a_clear_error_and_nothing_is_sent(
    client: Client, smtp_server: SmtpServer
) -> None:
    response = client.post(
        reverse("privacy:request"), {"email": "not an address", "kind": "export"}
    )
    run_task_worker()

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert smtp_server.messages == []


def test_an_export_is_shown_only_after_the_post_from_the_mailbox(
    client: Client, smtp_server: SmtpServer, supporter: None
) -> None:
    path = "/" + ask(client, smtp_server, "export")

    scanner = client.get(path)
    assert "Zofia Nowak" not in scanner.content.decode()  # a GET shows nothing but a button
    shown = client.post(path).content.decode()
    again = client.post(path).content.decode()

    assert "Zofia Nowak" in shown and "Łódź" in shown and "Dear Ales" in shown
    assert "Someone Else" not in shown
    assert "already carried out" in again and "Zofia Nowak" not in again
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.DATA_REQUESTED)
    assert entry.records == 2  # one signature, one letter
    assert not TransientAddress.objects.filter(purpose="privacy_request").exists()


def test_an_erasure_empties_the_personal_fields_and_keeps_every_total(
    client: Client, smtp_server: SmtpServer, supporter: None
) -> None:
    campaign = Signature.objects.get(name="Zofia Nowak").campaign
    report, totals = campaign_report(campaign), read_totals(campaign.pk)
    path = "/" + ask(client, smtp_server, "erasure")

    done = client.post(path).content.decode()

    assert "Erased: 2 records" in done
    zofia = Signature.objects.exclude(name="Someone Else").get()
    assert (zofia.name, zofia.city, zofia.email_hash, zofia.email_sealed) == ("", "", None, None)
    letter = Letter.objects.get()
    assert (letter.author_name, letter.author_contact_sealed) == ("", None)
    assert Signature.objects.filter(name="Someone Else").exists()
    assert campaign_report(campaign) == report
    assert read_totals(campaign.pk) == totals


def test_a_forged_link_is_404_and_other_methods_405(client: Client) -> None:
    forged = client.get(reverse("privacy:confirm", args=["forged-token"]))
    put = client.put(reverse("privacy:request"))
    post_sent = client.post(reverse("privacy:sent"))

    assert forged.status_code == 404
    assert (put.status_code, post_sent.status_code) == (405, 405)
