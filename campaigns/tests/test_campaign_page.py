from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import CaseName
from conftest import Cast
from lantern.testing import make_campaign, make_case
from petitions.services import SignatureInput, sign_petition

pytestmark = pytest.mark.django_db


def test_live_campaign_page_shows_case_story_form_and_counter(client: Client) -> None:
    case = make_case(name="Ales Bialiatski", story="Head of Viasna.")
    CaseName.objects.create(case=case, name="Алесь Бяляцкі", language="be", script="Cyrl")
    campaign = make_campaign(cases=[case], title="Write for Rights", slogan="Write for Rights!")
    sign_petition(campaign, SignatureInput(name="A", email="a@example.org", country="JP"))

    response = client.get(reverse("campaigns:detail", args=[campaign.slug]))

    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Write for Rights!", "Ales Bialiatski", "Алесь Бяляцкі", "Head of Viasna."):
        assert text in page
    assert 'data-counter-total data-value="1"' in page
    assert "Japan: 1" in page
    assert 'name="email"' in page and 'name="consent_letter"' in page


def test_page_queries_do_not_grow_with_signatures(
    client: Client, django_assert_max_num_queries: object
) -> None:
    campaign = make_campaign()
    for n in range(30):
        sign_petition(campaign, SignatureInput(name="S", email=f"s{n}@x.org", country="PL"))
    # 6, and 2 for the registry's links: anyone to write to in its countries; open card drives.
    with django_assert_max_num_queries(8):  # type: ignore[operator]  # pytest-django fixture
        client.get(reverse("campaigns:detail", args=[campaign.slug]))


def test_draft_is_hidden_from_anonymous_and_outsider_but_previewed_by_organizer(
    client: Client, cast: Cast
) -> None:
    campaign = make_campaign(status="draft")
    url = reverse("campaigns:detail", args=[campaign.slug])
    assert client.get(url).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.reporter)
    assert client.get(url).status_code == 404
    client.force_login(cast.organizer)
    assert client.get(url).status_code == 200


def test_campaign_page_refuses_post(client: Client) -> None:
    campaign = make_campaign()
    assert client.post(reverse("campaigns:detail", args=[campaign.slug])).status_code == 405


def test_unknown_campaign_is_404(client: Client) -> None:
    assert client.get(reverse("campaigns:detail", args=["no-such-thing"])).status_code == 404


def test_home_lists_published_campaigns_only(client: Client) -> None:
    make_campaign(title="Live one")
    make_campaign(title="Secret draft", status="draft")
    page = client.get(reverse("campaigns:home")).content.decode()
    assert "Live one" in page
    assert "Secret draft" not in page
