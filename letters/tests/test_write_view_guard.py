"""The guard in front of the letter form: proof-of-work, honeypot, and rate limits (a letter
past the soft limit goes to review with a finding; past the hard one, 429, nothing stored)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from lantern.conf import parse_rates
from lantern.testing import with_pow
from letters.models import Letter
from letters.services import RATE_LIMIT_RULE
from letters.tests.conftest import CLEAN_RU

pytestmark = pytest.mark.django_db

FORM = {"kind": "letter", "text": CLEAN_RU, "author_name": "Zofia", "author_country": "PL"}


def write_url(campaign: Campaign) -> str:
    return reverse("letters:write", args=[campaign.slug])


def test_without_a_proof_of_work_the_letter_comes_back_unsent(
    client: Client, campaign: Campaign
) -> None:
    response = client.post(write_url(campaign), FORM)
    page = response.content.decode()
    assert response.status_code == 400
    assert "make sure JavaScript is turned on" in page
    assert CLEAN_RU.split()[0] in page, "the text is kept"
    assert not Letter.objects.exists()


def test_a_filled_honeypot_stores_nothing(client: Client, campaign: Campaign) -> None:
    response = client.post(write_url(campaign), {**with_pow(FORM), "website": "x"})
    assert response.status_code == 400
    assert not Letter.objects.exists()


def test_past_the_soft_limit_the_letter_waits_for_review_with_a_finding(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.LETTER_RATE_CLIENT_SOFT = parse_rates("1/hour")
    client.post(write_url(campaign), with_pow(FORM))
    client.post(write_url(campaign), with_pow({**FORM, "author_name": "Jan"}))
    first, second = Letter.objects.order_by("pk")
    assert not first.findings.filter(rule=RATE_LIMIT_RULE).exists()
    assert second.status == Letter.Status.NEEDS_REVIEW
    assert second.findings.get(rule=RATE_LIMIT_RULE).severity == "warning"


def test_past_the_hard_limit_the_answer_is_429_and_nothing_is_stored(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.LETTER_RATE_CLIENT_HARD = parse_rates("1/hour")
    assert client.post(write_url(campaign), with_pow(FORM)).status_code == 302
    response = client.post(write_url(campaign), with_pow(FORM))
    assert response.status_code == 429
    assert "Too many forms were sent" in response.content.decode()
    assert Letter.objects.count() == 1


def test_the_form_carries_the_honeypot_and_the_proof_of_work_widget(
    client: Client, campaign: Campaign
) -> None:
    page = client.get(write_url(campaign)).content.decode()
    assert '<altcha-widget name="altcha"' in page and 'challenge="/api/v1/challenge"' in page
    assert 'name="website"' in page and 'aria-hidden="true"' in page
