from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actions.tallies import read_totals
from lantern.testing import make_campaign, with_pow
from petitions.models import Signature

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Anna Nowak",
    "name_display": "initials",
    "email": "anna@example.org",
    "country": "PL",
    "city": "Warsaw",
    "consent_letter": "on",
}


def test_signing_redirects_to_thanks_and_counts(client: Client) -> None:
    campaign = make_campaign()
    response = client.post(reverse("petitions:sign", args=[campaign.slug]), with_pow(FORM))
    assert response.status_code == 302
    assert response["Location"].endswith("?outcome=counted")
    signature = Signature.objects.get()
    assert (signature.shown_name, signature.consent_letter, signature.consent_contact) == (
        "A. N.",
        True,
        False,
    )
    thanks = client.get(response["Location"]).content.decode()
    assert "your signature is counted" in thanks
    assert read_totals(campaign.pk).total == 1


def test_second_signer_is_told_already_signed_without_details_of_the_first(
    client: Client,
) -> None:
    campaign = make_campaign()
    url = reverse("petitions:sign", args=[campaign.slug])
    client.post(url, with_pow(FORM))
    second = {**FORM, "name": "Mallory", "email": " ANNA+x@Example.org", "city": "Elsewhere"}
    response = client.post(url, with_pow(second), follow=True)
    page = response.content.decode()
    assert "already signed" in page
    for detail in ("Anna", "Nowak", "Warsaw", "A. N."):
        assert detail not in page
    assert read_totals(campaign.pk).total == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-address", "Enter a valid email address."),
        ("country", "XX", "Select a valid choice."),
        ("name", "   ", "This field is required."),
        ("name_display", "everyone", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_stored(
    client: Client, field: str, value: str, message: str
) -> None:
    campaign = make_campaign()
    response = client.post(
        reverse("petitions:sign", args=[campaign.slug]), with_pow({**FORM, field: value})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Signature.objects.exists()


def test_sign_refuses_get(client: Client) -> None:
    campaign = make_campaign()
    assert client.get(reverse("petitions:sign", args=[campaign.slug])).status_code == 405


def test_sign_needs_csrf_token() -> None:
    campaign = make_campaign()
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("petitions:sign", args=[campaign.slug]), with_pow(FORM))
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_closed_campaign_refuses_signatures(client: Client) -> None:
    campaign = make_campaign(status="closed")
    response = client.post(reverse("petitions:sign", args=[campaign.slug]), with_pow(FORM))
    assert response.status_code == 409
    assert not Signature.objects.exists()


def test_draft_campaign_cannot_be_signed_anonymously(client: Client) -> None:
    campaign = make_campaign(status="draft")
    response = client.post(reverse("petitions:sign", args=[campaign.slug]), with_pow(FORM))
    assert response.status_code == 404
