"""The guard in front of the privacy request form: each request emails the address typed in,
so nothing is sent without a proof-of-work, with a filled honeypot, or past the hard limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import SmtpServer
from lantern.conf import parse_rates
from lantern.testing import run_task_worker, with_pow
from privacy.models import PrivacyRequest

pytestmark = pytest.mark.django_db(transaction=True)  # the email is enqueued with the request

FORM = {"email": "zofia@example.org", "kind": "export"}


def test_without_a_proof_of_work_the_form_comes_back_and_no_email_goes(
    client: Client, smtp_server: SmtpServer
) -> None:
    response = client.post(reverse("privacy:request"), FORM)
    run_task_worker()

    assert response.status_code == 400
    page = response.content.decode()
    assert "make sure JavaScript is turned on" in page
    assert 'value="zofia@example.org"' in page, "the address is kept in the form"
    assert not PrivacyRequest.objects.exists()
    assert smtp_server.messages == []


def test_a_filled_honeypot_sends_nothing(client: Client, smtp_server: SmtpServer) -> None:
    response = client.post(reverse("privacy:request"), {**with_pow(FORM), "website": "x"})
    run_task_worker()

    assert response.status_code == 400
    assert smtp_server.messages == []


def test_past_the_hard_limit_the_answer_is_429_and_no_more_email_goes(
    client: Client, smtp_server: SmtpServer, settings: Any
) -> None:
    settings.PRIVACY_RATE_CLIENT_HARD = parse_rates("2/hour")
    answers = [client.post(reverse("privacy:request"), with_pow(FORM)) for _ in range(3)]
    run_task_worker()

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "Too many forms were sent" in answers[2].content.decode()
    assert answers[2]["Retry-After"]
    assert len(smtp_server.messages) == 2


def test_the_form_carries_the_honeypot_and_the_proof_of_work_widget(client: Client) -> None:
    page = client.get(reverse("privacy:request")).content.decode()
    assert '<altcha-widget name="altcha"' in page
    assert 'name="website"' in page and 'aria-hidden="true"' in page
