"""`/campaigns/<slug>/embed/`: the snippet to copy, per partner, with a preview."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from lantern.testing import make_campaign, make_partner

pytestmark = pytest.mark.django_db


def test_embed_page_shows_the_snippet_for_the_chosen_partner(client: Client) -> None:
    partner = make_partner(slug="warsaw-group", name="Warsaw group")
    campaign = make_campaign(slug="w4r", partners=[partner])
    url = reverse("widgets:embed", args=[campaign.slug])
    response = client.get(f"{url}?partner=warsaw-group")
    assert response.status_code == 200
    html = response.content.decode()
    assert '&lt;div data-lantern-widget="w4r"&gt;&lt;/div&gt;' in html
    assert "http://testserver/widget/w4r.js?partner=warsaw-group" in html
    assert '<option value="warsaw-group" selected>Warsaw group</option>' in html


def test_embed_page_without_partner_gives_a_snippet_counting_for_nobody(client: Client) -> None:
    campaign = make_campaign(slug="w4r")
    html = client.get(reverse("widgets:embed", args=[campaign.slug])).content.decode()
    assert 'src="http://testserver/widget/w4r.js"' in html


def test_embed_page_for_a_partner_not_in_the_campaign_is_not_found(client: Client) -> None:
    make_partner(slug="stranger")
    campaign = make_campaign()
    url = reverse("widgets:embed", args=[campaign.slug])
    assert client.get(f"{url}?partner=stranger").status_code == 404


def test_embed_page_of_a_draft_is_not_found(client: Client) -> None:
    draft = make_campaign(status=Campaign.Status.DRAFT)
    assert client.get(reverse("widgets:embed", args=[draft.slug])).status_code == 404


def test_embed_page_refuses_post(client: Client) -> None:
    campaign = make_campaign()
    assert client.post(reverse("widgets:embed", args=[campaign.slug])).status_code == 405
