"""A partner's webhook URL must not make Lantern's server reach its own loopback, private
network or cloud metadata addresses (unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES says so)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from partners.models import Membership, WebhookDelivery, WebhookEndpoint
from partners.tests.helpers import member
from partners.webhooks import WebhookRefused, attempt_delivery, register_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_rules(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "http://localhost/",
        "http://[::1]/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://203.0.113.9/hook",
        "https:///no-host",
    ],
)
def test_private_and_odd_addresses_are_refused(cast: Cast, url: str) -> None:
    with pytest.raises(WebhookRefused):
        register_webhook(cast.partner, url)

    assert not WebhookEndpoint.objects.exists()


def test_a_public_address_is_accepted(cast: Cast) -> None:
    endpoint, secret = register_webhook(cast.partner, "https://8.8.8.8/lantern")

    assert endpoint.url == "https://8.8.8.8/lantern"
    assert secret.startswith("whsec_")


def test_the_form_shows_why_an_address_is_refused(client: Client, cast: Cast) -> None:
    client.force_login(member(cast.partner, Membership.Role.PARTNER_ADMIN))

    response = client.post(
        reverse("partners:webhooks", args=[cast.partner.slug]), {"url": "http://127.0.0.1/"}
    )

    assert response.status_code == 400
    assert "not on the public internet" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_delivery_to_an_address_that_became_private_fails_without_sending(
    cast: Cast, settings: Any
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint, _ = register_webhook(cast.partner, "http://127.0.0.1:9/hook")
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, payload={"actions": []})
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    result = attempt_delivery(delivery.pk)

    assert (result.status, result.attempts, result.last_response_status) == ("failed", 1, None)
    assert "not on the public internet" in result.last_error
