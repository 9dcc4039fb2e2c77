"""The guard in front of the sign form: honeypot, proof-of-work, rate limits (held past the
soft one, 429 past the hard one), forwarding headers, disposable addresses, and the order."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.tallies import read_totals
from campaigns.models import Campaign
from lantern.conf import parse_rates
from lantern.testing import make_campaign, solve_pow, with_pow
from petitions.models import Signature

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Anna Nowak",
    "name_display": "full",
    "email": "anna@example.org",
    "country": "PL",
    "city": "Warsaw",
}


@pytest.fixture
def campaign() -> Campaign:
    return make_campaign(requires_confirmation=False)


def sign_url(campaign: Campaign) -> str:
    return reverse("petitions:sign", args=[campaign.slug])


def signer(n: int) -> dict[str, str]:
    return with_pow({**FORM, "email": f"signer{n}@example.org"})


def test_a_filled_honeypot_stores_nothing_and_keeps_what_was_typed(
    client: Client, campaign: Campaign
) -> None:
    response = client.post(sign_url(campaign), {**with_pow(FORM), "website": "http://spam"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Leave this empty" in page and 'value="Anna Nowak"' in page
    assert not Signature.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_screen_readers(
    client: Client, campaign: Campaign
) -> None:
    page = client.get(reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert '<div class="hp" aria-hidden="true">' in page
    assert 'name="website"' in page and 'tabindex="-1"' in page and 'autocomplete="off"' in page


def test_without_a_proof_of_work_nothing_is_stored_and_the_form_comes_back(
    client: Client, campaign: Campaign
) -> None:
    response = client.post(sign_url(campaign), FORM)
    page = response.content.decode()
    assert response.status_code == 400
    assert "make sure JavaScript is turned on" in page
    assert 'value="anna@example.org"' in page
    assert not Signature.objects.exists()


def test_a_solution_is_accepted_once(client: Client, campaign: Campaign) -> None:
    payload = solve_pow()
    first = client.post(sign_url(campaign), {**FORM, "altcha": payload})
    again = client.post(sign_url(campaign), {**FORM, "email": "b@example.org", "altcha": payload})
    assert first.status_code == 302
    assert again.status_code == 400
    assert "failed or expired" in again.content.decode()
    assert Signature.objects.count() == 1


def test_past_the_soft_limit_a_signature_is_stored_held_and_not_counted(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.SIGN_RATE_CLIENT_SOFT = parse_rates("2/hour")
    outcomes = [client.post(sign_url(campaign), signer(n))["Location"] for n in range(3)]
    assert [url.rsplit("=", 1)[1] for url in outcomes] == ["counted", "counted", "held"]
    held = Signature.objects.get(email_hash__isnull=False, held_for_review=True)
    assert held.action is None
    assert read_totals(campaign.pk).total == 2
    assert Action.objects.count() == 2
    thanks = client.get(outcomes[2]).content.decode()
    assert "the organizers will review yours before it counts" in thanks


def test_past_the_hard_limit_the_answer_is_429_and_nothing_is_stored(
    client: Client, campaign: Campaign, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.SIGN_RATE_CLIENT_HARD = parse_rates("2/hour")
    for n in range(2):
        assert client.post(sign_url(campaign), signer(n)).status_code == 302
    data = signer(2)
    with django_assert_num_queries(0):  # the flood costs no database work at all
        response = client.post(sign_url(campaign), data)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Too many forms were sent from your connection" in response.content.decode()
    assert Signature.objects.count() == 2


def test_the_429_message_is_in_the_page_language(campaign: Campaign, settings: Any) -> None:
    settings.SIGN_RATE_CLIENT_HARD = parse_rates("1/hour")
    client = Client(HTTP_ACCEPT_LANGUAGE="pl")
    client.post(sign_url(campaign), signer(0))
    response = client.post(sign_url(campaign), signer(1))
    assert response.status_code == 429
    assert 'lang="pl"' in response.content.decode()
    assert "Too many forms" not in response.content.decode()


def test_a_made_up_x_forwarded_for_does_not_get_past_the_limit(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    """A peer petition app's per-IP limit falls to a new made-up header on each request."""
    settings.SIGN_RATE_CLIENT_HARD = parse_rates("2/hour")
    statuses = [
        client.post(sign_url(campaign), signer(n), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n in range(3)
    ]
    assert [r.status_code for r in statuses] == [302, 302, 429]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = (ipaddress.ip_network("127.0.0.1/32"),)
    settings.SIGN_RATE_CLIENT_HARD = parse_rates("1/hour")
    first = client.post(sign_url(campaign), signer(0), HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = client.post(sign_url(campaign), signer(1), HTTP_X_FORWARDED_FOR="198.51.100.2")
    again = client.post(sign_url(campaign), signer(2), HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert [first.status_code, other.status_code, again.status_code] == [302, 302, 429]


def test_the_campaign_soft_and_hard_limits_count_every_client(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.SIGN_RATE_CAMPAIGN_SOFT = parse_rates("1/hour")
    settings.SIGN_RATE_CAMPAIGN_HARD = parse_rates("2/hour")
    answers = [
        client.post(sign_url(campaign), signer(n), REMOTE_ADDR=f"203.0.113.{n}") for n in range(3)
    ]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert answers[1]["Location"].endswith("outcome=held")
    other = make_campaign(requires_confirmation=False)
    assert client.post(sign_url(other), signer(9), REMOTE_ADDR="203.0.113.9").status_code == 302


def test_the_rate_limit_comes_before_the_proof_of_work(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.SIGN_RATE_CLIENT_HARD = parse_rates("1/hour")
    client.post(sign_url(campaign), FORM)  # no proof-of-work: refused, but counted
    assert client.post(sign_url(campaign), FORM).status_code == 429


def test_the_honeypot_comes_before_the_rate_limit(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    settings.SIGN_RATE_CLIENT_HARD = parse_rates("1/hour")
    for _ in range(3):
        bot = client.post(sign_url(campaign), {**with_pow(FORM), "website": "x"})
        assert bot.status_code == 400
    assert client.post(sign_url(campaign), signer(0)).status_code == 302


def test_a_body_larger_than_any_sign_form_is_refused_unread(
    client: Client, campaign: Campaign, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = client.post(sign_url(campaign), {**signer(0), "city": "x" * 20_000})
    assert response.status_code == 413
    assert not Signature.objects.exists()


@pytest.mark.parametrize("email", ["anna@mailinator.com", "anna@eu.mailinator.com"])
def test_a_disposable_address_is_refused_with_a_clear_message(
    client: Client, campaign: Campaign, email: str
) -> None:
    response = client.post(sign_url(campaign), with_pow({**FORM, "email": email}))
    assert response.status_code == 400
    assert "throwaway-mail services cannot be used" in response.content.decode()
    assert not Signature.objects.exists()
