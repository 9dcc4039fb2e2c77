"""A campaign page opened through a partner's link (a QR code on its posters, stickers or
petition sheets: `?partner=<slug>`) counts the signature for that partner."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from conftest import Cast
from lantern.testing import make_campaign, make_partner
from petitions.models import Signature

pytestmark = pytest.mark.django_db


def sign(client: Client, slug: str, partner: str | None, email: str) -> None:
    data = {
        "name": "Zofia Nowak",
        "name_display": "full",
        "email": email,
        "country": "PL",
        "city": "Kraków",
    }
    if partner is not None:
        data["partner"] = partner
    response = client.post(reverse("petitions:sign", args=[slug]), data)
    assert response.status_code == 302, response.content[:500]


def test_the_page_carries_the_partner_into_the_sign_form(client: Client, cast: Cast) -> None:
    campaign = make_campaign(partners=[cast.partner])
    url = reverse("campaigns:detail", args=[campaign.slug])

    through = client.get(url + "?partner=amnesty-poland").content.decode()
    plain = client.get(url).content.decode()

    assert '<input type="hidden" name="partner" value="amnesty-poland">' in through
    assert 'name="partner"' not in plain


def test_a_signature_through_a_partners_link_counts_for_that_partner(
    client: Client, cast: Cast
) -> None:
    campaign = make_campaign(partners=[cast.partner])

    sign(client, campaign.slug, "amnesty-poland", "zofia@example.org")
    sign(client, campaign.slug, None, "jan@example.org")

    signatures = Signature.objects.filter(campaign=campaign)
    actions = Action.objects.filter(campaign=campaign)
    assert signatures.filter(partner=cast.partner).count() == 1
    assert signatures.filter(partner=None).count() == 1
    assert actions.filter(partner=cast.partner).count() == 1
    assert actions.filter(partner=None).count() == 1


def test_a_partner_not_taking_part_is_ignored_and_the_page_still_works(
    client: Client, cast: Cast
) -> None:
    campaign = make_campaign(partners=[cast.partner])
    outsider = make_partner()
    url = reverse("campaigns:detail", args=[campaign.slug])

    page = client.get(url + f"?partner={outsider.slug}")
    sign(client, campaign.slug, outsider.slug, "ola@example.org")

    assert page.status_code == 200
    assert 'name="partner"' not in page.content.decode()
    assert Action.objects.get(campaign=campaign).partner is None


def test_a_form_with_errors_keeps_the_partner(client: Client, cast: Cast) -> None:
    campaign = make_campaign(partners=[cast.partner])

    response = client.post(
        reverse("petitions:sign", args=[campaign.slug]), {"partner": "amnesty-poland"}
    )

    assert response.status_code == 400
    assert 'name="partner" value="amnesty-poland"' in response.content.decode()
