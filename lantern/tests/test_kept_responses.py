"""`lantern.responses`: the live counter's answer is kept for COUNTER_CACHE_SECONDS, per
language, with the headers the full stack gave it; and equals the ledger once it expires."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from actions.tallies import add_to_tally, live_totals, read_totals
from lantern.responses import _key
from lantern.testing import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeping(settings):
    settings.COUNTER_CACHE_SECONDS = 60
    keys: list[str] = []
    yield keys
    cache.delete_many(keys)  # only this test's keys: the cache may be shared


def _totals(client: Client, slug: str, language: str = "en"):
    return client.get(f"/api/v1/campaigns/{slug}/totals", HTTP_ACCEPT_LANGUAGE=language)


def test_the_counter_is_answered_from_the_kept_response_until_it_expires(
    client: Client, keeping
) -> None:
    campaign = make_campaign()
    add_to_tally(campaign.pk, [("PL", "signature", 3)])
    first = _totals(client, campaign.slug)
    keeping += [_key(first.wsgi_request), f"lantern:totals:{campaign.pk}"]
    assert first.json()["total"] == 3
    add_to_tally(campaign.pk, [("PL", "signature", 4)])
    again = _totals(client, campaign.slug)
    assert again.json()["total"] == 3  # kept: no query ran
    assert again["X-Content-Type-Options"] == "nosniff"  # the full stack's headers, replayed
    assert again["Content-Language"] == "en"
    cache.delete_many(keeping)  # as when COUNTER_CACHE_SECONDS have passed
    assert _totals(client, campaign.slug).json()["total"] == 7 == read_totals(campaign.pk).total


def test_each_language_is_kept_apart(client: Client, keeping) -> None:
    campaign = make_campaign()
    add_to_tally(campaign.pk, [("PL", "signature", 1)])
    english = _totals(client, campaign.slug, "en")
    polish = _totals(client, campaign.slug, "pl")
    keeping += [_key(english.wsgi_request), _key(polish.wsgi_request)]
    keeping.append(f"lantern:totals:{campaign.pk}")
    assert english.json()["by_country"][0]["name"] == "Poland"
    assert polish.json()["by_country"][0]["name"] == "Polska"
    assert _totals(client, campaign.slug, "pl").json()["by_country"][0]["name"] == "Polska"


def test_a_missing_campaign_is_not_kept(client: Client, keeping) -> None:
    response = _totals(client, "no-such-campaign")
    keeping.append(_key(response.wsgi_request))
    assert response.status_code == 404
    assert cache.get(_key(response.wsgi_request)) is None


def test_nothing_is_kept_with_a_zero_period(client: Client, settings) -> None:
    settings.COUNTER_CACHE_SECONDS = 0
    campaign = make_campaign()
    add_to_tally(campaign.pk, [("PL", "signature", 2)])
    first = _totals(client, campaign.slug)
    add_to_tally(campaign.pk, [("PL", "signature", 5)])
    assert _totals(client, campaign.slug).json()["total"] == 7
    assert cache.get(_key(first.wsgi_request)) is None
    assert live_totals(campaign.pk).total == 7


def test_live_totals_are_read_once_per_period(keeping, django_assert_num_queries) -> None:
    campaign = make_campaign()
    keeping.append(f"lantern:totals:{campaign.pk}")
    add_to_tally(campaign.pk, [("JP", "letter", 9)])
    with django_assert_num_queries(1):
        assert live_totals(campaign.pk).total == 9
        assert live_totals(campaign.pk).total == 9
