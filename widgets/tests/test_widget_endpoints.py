"""The widget's endpoints: the script, the form, signing, the counter; cross-origin, no cookie."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.tallies import read_totals
from actions.types import Source
from campaigns.models import Campaign
from lantern.testing import make_campaign, make_partner, with_pow
from partners.models import Partner
from petitions.models import Signature
from widgets import services
from widgets.services import issue_form_token

pytestmark = pytest.mark.django_db

ELSEWHERE = {"Origin": "https://warsaw-group.example"}


@pytest.fixture
def partner() -> Partner:
    return make_partner(slug="warsaw-group", name="Warsaw group")


@pytest.fixture
def campaign(partner: Partner) -> Campaign:
    return make_campaign(slug="w4r", requires_confirmation=False, partners=[partner])


@pytest.fixture
def browser() -> Client:
    """A client that enforces CSRF like a browser: the widget must work without the cookie."""
    return Client(enforce_csrf_checks=True)


def sign_data(campaign: Campaign, partner: Partner | None, **changes: str) -> dict[str, str]:
    data = {
        "token": issue_form_token(campaign, partner),
        "lang": "en",
        "name": "Anna Nowak",
        "name_display": "full",
        "email": "anna@example.org",
        "country": "PL",
        "city": "Warsaw",
    }
    data.update(changes)
    return with_pow(data)


def sign_url(campaign: Campaign, partner: Partner | None = None) -> str:
    url = reverse("widgets:sign", args=[campaign.slug])
    return f"{url}?partner={partner.slug}" if partner else url


# --- the script --------------------------------------------------------------------------


def test_script_names_the_partner_and_absolute_endpoints_and_any_origin_may_load_it(
    browser: Client, campaign: Campaign, partner: Partner
) -> None:
    url = reverse("widgets:script", args=[campaign.slug])
    response = browser.get(f"{url}?partner={partner.slug}", headers=ELSEWHERE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    text = response.content.decode()
    config = json.loads(text[text.rindex("})(") + 3 : text.rindex(");")])
    assert config["campaign"] == "w4r"
    assert config["form"] == "http://testserver/widget/w4r/form?partner=warsaw-group"
    assert config["sign"] == "http://testserver/widget/w4r/sign?partner=warsaw-group"
    assert config["totals"] == "http://testserver/widget/w4r/totals"


def test_script_for_a_partner_not_in_the_campaign_is_not_found(
    client: Client, campaign: Campaign
) -> None:
    make_partner(slug="stranger")
    url = reverse("widgets:script", args=[campaign.slug])
    assert client.get(f"{url}?partner=stranger").status_code == 404
    assert client.get(f"{url}?partner=nobody").status_code == 404


def test_script_of_a_draft_campaign_is_not_found(client: Client) -> None:
    draft = make_campaign(status=Campaign.Status.DRAFT)
    assert client.get(reverse("widgets:script", args=[draft.slug])).status_code == 404


def test_script_refuses_post(client: Client, campaign: Campaign) -> None:
    assert client.post(reverse("widgets:script", args=[campaign.slug])).status_code == 405


# --- the form ----------------------------------------------------------------------------


def test_form_comes_in_the_page_language_with_a_token_for_the_partner(
    browser: Client, campaign: Campaign, partner: Partner
) -> None:
    url = reverse("widgets:form", args=[campaign.slug])
    response = browser.get(f"{url}?partner={partner.slug}&lang=pl-PL", headers=ELSEWHERE)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["language"] == "pl"
    assert 'lang="pl"' in data["html"]
    assert 'name="token"' in data["html"]
    token = data["html"].split('name="token" value="')[1].split('"')[0]
    ticket = services.read_form_token(token, campaign)
    assert ticket.partner_id == partner.pk
    assert "csrfmiddlewaretoken" not in data["html"]
    assert "Set-Cookie" not in response


def test_form_in_a_language_lantern_lacks_falls_back_to_english(
    client: Client, campaign: Campaign
) -> None:
    url = reverse("widgets:form", args=[campaign.slug])
    assert client.get(f"{url}?lang=xx").json()["language"] == "en"
    assert client.get(url).json()["language"] == "en"


def test_form_of_a_closed_campaign_says_so_and_has_no_form(client: Client) -> None:
    closed = make_campaign(status=Campaign.Status.CLOSED)
    html = client.get(reverse("widgets:form", args=[closed.slug])).json()["html"]
    assert "<form" not in html
    assert "not taking signatures" in html


def test_form_refuses_post(client: Client, campaign: Campaign) -> None:
    assert client.post(reverse("widgets:form", args=[campaign.slug])).status_code == 405


# --- signing -----------------------------------------------------------------------------


def test_signature_from_another_origin_counts_for_the_partner_without_a_csrf_cookie(
    browser: Client, campaign: Campaign, partner: Partner
) -> None:
    response = browser.post(
        sign_url(campaign, partner), sign_data(campaign, partner), headers=ELSEWHERE
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["outcome"] == "counted"
    signature = Signature.objects.select_related("action").get()
    assert signature.partner == partner
    assert signature.action is not None
    assert signature.action.partner == partner
    assert signature.action.source == Source.WIDGET
    assert read_totals(campaign.pk).total == 1


def test_the_token_decides_the_partner_not_the_address(
    browser: Client, campaign: Campaign, partner: Partner
) -> None:
    other = make_partner(slug="krakow-group")
    campaign.partners.add(other)
    browser.post(sign_url(campaign, other), sign_data(campaign, partner))
    assert Signature.objects.get().partner == partner


def test_signature_without_partner_counts_for_nobody(browser: Client, campaign: Campaign) -> None:
    response = browser.post(sign_url(campaign), sign_data(campaign, None))
    assert response.json()["outcome"] == "counted"
    assert Action.objects.get().partner is None


def test_signature_without_a_token_is_refused_and_what_was_typed_comes_back(
    browser: Client, campaign: Campaign, partner: Partner
) -> None:
    data = sign_data(campaign, partner)
    del data["token"]
    response = browser.post(sign_url(campaign, partner), data)
    assert response.status_code == 400
    html = response.json()["html"]
    assert "open for a long time" in html
    assert 'value="anna@example.org"' in html
    assert 'name="token" value="' in html
    assert not Signature.objects.exists()


@pytest.mark.parametrize("token", ["forged", "bm90IGEgdG9rZW4:1abc:xyz"])
def test_signature_with_a_forged_token_is_refused(
    browser: Client, campaign: Campaign, partner: Partner, token: str
) -> None:
    response = browser.post(sign_url(campaign, partner), sign_data(campaign, partner, token=token))
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_signature_with_a_token_for_another_campaign_is_refused(
    browser: Client, campaign: Campaign, partner: Partner
) -> None:
    other = make_campaign(partners=[partner])
    data = sign_data(campaign, partner, token=issue_form_token(other, partner))
    assert browser.post(sign_url(campaign, partner), data).status_code == 400
    assert not Signature.objects.exists()


def test_signature_with_an_old_token_is_refused(
    browser: Client, campaign: Campaign, partner: Partner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "FORM_TOKEN_MAX_AGE", timedelta(seconds=-1))
    response = browser.post(sign_url(campaign, partner), sign_data(campaign, partner))
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_signature_for_a_partner_who_left_the_campaign_is_refused(
    browser: Client, campaign: Campaign, partner: Partner
) -> None:
    data = sign_data(campaign, partner)
    campaign.partners.remove(partner)
    assert browser.post(sign_url(campaign), data).status_code == 400
    assert not Signature.objects.exists()


def test_invalid_email_comes_back_with_the_error_and_nothing_is_counted(
    browser: Client, campaign: Campaign, partner: Partner
) -> None:
    response = browser.post(
        sign_url(campaign, partner), sign_data(campaign, partner, email="anna@")
    )
    assert response.status_code == 400
    html = response.json()["html"]
    assert "Enter a valid email address." in html
    assert 'value="Anna Nowak"' in html
    assert read_totals(campaign.pk).total == 0


def test_second_signature_of_the_same_mailbox_is_not_counted(
    browser: Client, campaign: Campaign, partner: Partner
) -> None:
    browser.post(sign_url(campaign, partner), sign_data(campaign, partner))
    again = browser.post(
        sign_url(campaign, partner), sign_data(campaign, partner, email="Anna@Example.org ")
    )
    assert again.json()["outcome"] == "already_signed"
    assert read_totals(campaign.pk).total == 1


def test_signature_on_a_closed_campaign_is_refused(
    browser: Client, campaign: Campaign, partner: Partner
) -> None:
    data = sign_data(campaign, partner)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    response = browser.post(sign_url(campaign, partner), data)
    assert response.status_code == 409
    assert response.json()["outcome"] == "closed"
    assert not Action.objects.exists()


def test_sign_refuses_get(client: Client, campaign: Campaign) -> None:
    assert client.get(sign_url(campaign)).status_code == 405


# --- the counter -------------------------------------------------------------------------


def test_totals_name_countries_in_the_page_language_in_few_queries(
    browser: Client,
    campaign: Campaign,
    partner: Partner,
    django_assert_max_num_queries: Any,
) -> None:
    browser.post(sign_url(campaign, partner), sign_data(campaign, partner))
    url = reverse("widgets:totals", args=[campaign.slug])
    with django_assert_max_num_queries(2):
        response = browser.get(f"{url}?lang=pl", headers=ELSEWHERE)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "total": 1,
        "countries": 1,
        "top": [{"country": "PL", "name": "Polska", "count": 1}],
    }


def test_totals_refuse_post(client: Client, campaign: Campaign) -> None:
    assert client.post(reverse("widgets:totals", args=[campaign.slug])).status_code == 405
