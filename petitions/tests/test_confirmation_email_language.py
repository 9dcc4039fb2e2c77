"""The confirmation email speaks the language the signer signed in (Signature.language), with
the campaign's own translation of its title; the site's language when the signer's is unknown."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign, CampaignTranslation
from conftest import SmtpServer
from lantern.testing import make_campaign, run_task_worker, with_pow
from petitions.models import Signature
from petitions.services import SignatureInput, sign_petition
from petitions.tests.test_confirmation_email import (
    FORM,
    SITE_URL,
    body,
    csrf_token,
    header,
)

pytestmark = pytest.mark.django_db(transaction=True)  # tasks are enqueued on commit


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = SITE_URL


@pytest.fixture
def campaign() -> Campaign:
    campaign = make_campaign(requires_confirmation=True, title="Write for Rights: Ales Bialiatski")
    CampaignTranslation.objects.create(
        campaign=campaign, language="be", title="Пішам за правы: Алесь Бяляцкі"
    )
    return campaign


def test_signer_on_the_belarusian_page_gets_the_email_in_belarusian(
    campaign: Campaign, smtp_server: SmtpServer
) -> None:
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="be")
    page = browser.get(reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert "Пішам за правы: Алесь Бяляцкі" in page and "Падпісаць петыцыю" in page
    browser.post(
        reverse("petitions:sign", args=[campaign.slug]),
        with_pow({**FORM, "csrfmiddlewaretoken": csrf_token(page)}),
    )
    assert Signature.objects.get().language == "be"

    run_task_worker()

    (message,) = smtp_server.messages
    assert header(message, "Subject") == "Пацвердзіце подпіс: Пішам за правы: Алесь Бяляцкі"
    text = body(message)
    assert text.startswith("Добры дзень, Zofia Łukasiewicz!")
    assert "Дзякуй, што падпісалі «Пішам за правы: Алесь Бяляцкі»." in text
    assert "Адкрыйце гэтую спасылку і націсніце кнопку:" in text
    assert f"{SITE_URL}/signatures/confirm/" in text


def test_signer_language_chosen_with_the_switcher_is_kept_for_the_email(
    campaign: Campaign, smtp_server: SmtpServer
) -> None:
    browser = Client()
    browser.post(reverse("set_language"), {"language": "uk", "next": "/"})
    browser.post(reverse("petitions:sign", args=[campaign.slug]), with_pow(FORM))
    run_task_worker()
    (message,) = smtp_server.messages
    assert Signature.objects.get().language == "uk"
    # No Ukrainian translation of the campaign: its own title, in Ukrainian sentences.
    assert header(message, "Subject") == "Підтвердьте підпис: Write for Rights: Ales Bialiatski"
    assert body(message).startswith("Добрий день, Zofia Łukasiewicz!")


def test_signature_without_a_known_language_gets_the_email_in_english(
    campaign: Campaign, smtp_server: SmtpServer
) -> None:
    sign_petition(campaign, SignatureInput(name="Anna O'Brien", email="a@x.org", country="IE"))
    Signature.objects.update(language="")
    run_task_worker()
    (message,) = smtp_server.messages
    assert header(message, "Subject") == "Confirm your signature: Write for Rights: Ales Bialiatski"
    assert body(message).startswith("Hello Anna O'Brien,")  # not escaped as HTML
