from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from lantern.testing import make_campaign
from petitions.services import SignatureInput, sign_petition

pytestmark = pytest.mark.django_db


def test_results_page_shows_the_report_figures(client: Client) -> None:
    campaign = make_campaign()
    for n, country in enumerate(["PL", "PL", "JP"]):
        sign_petition(campaign, SignatureInput(name="S", email=f"s{n}@x.org", country=country))
    response = client.get(reverse("reports:results", args=[campaign.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-total="3"' in page
    assert "in <strong>2</strong> countries" in page
    assert '<tr data-country="PL"><td>Poland</td><td class="n">2</td>' in page
    assert "Petition signature" in page


def test_results_queries_are_bounded(client: Client, django_assert_max_num_queries: object) -> None:
    campaign = make_campaign()
    for n in range(20):
        sign_petition(campaign, SignatureInput(name="S", email=f"s{n}@x.org", country="PL"))
    with django_assert_max_num_queries(7):  # type: ignore[operator]  # pytest-django fixture
        client.get(reverse("reports:results", args=[campaign.slug]))


def test_results_of_a_draft_are_hidden_except_from_staff(client: Client, cast: Cast) -> None:
    url = reverse("reports:results", args=[make_campaign(status="draft").slug])
    assert client.get(url).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.organizer)
    assert client.get(url).status_code == 200


def test_results_refuse_post(client: Client) -> None:
    url = reverse("reports:results", args=[make_campaign().slug])
    assert client.post(url).status_code == 405
