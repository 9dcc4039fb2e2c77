from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case
from correspondence.tests.conftest import make_post
from lantern.testing import make_case

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client: Client, url: str) -> list[ElementTree.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    return feed.findall(f"{ATOM}entry")


def _titles(entries: list[ElementTree.Element]) -> list[str]:
    return [e.findtext(f"{ATOM}title") or "" for e in entries]


def test_feed_of_all_posts_has_published_posts_with_link_summary_and_tags(
    client: Client, case: Case
) -> None:
    post = make_post(case, excerpt="Don't be afraid!")
    make_post(case, title="Draft", publish=False)
    entries = _entries(client, reverse("correspondence:feed"))
    assert _titles(entries) == [post.title]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").attrib["href"].endswith(post.get_absolute_url())  # type: ignore[union-attr]
    assert entry.findtext(f"{ATOM}summary") == "Don't be afraid!"
    assert [c.attrib["term"] for c in entry.findall(f"{ATOM}category")] == [
        "letters from Ales Bialiatski"
    ]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ales Bialiatski"


def test_tag_and_case_feeds_hold_only_their_posts(client: Client, case: Case) -> None:
    make_post(case, title="Havel", tags=("Havel",))
    make_post(make_case(slug="someone"), title="Other", tags=("other",))
    assert _titles(_entries(client, reverse("correspondence:tag_feed", args=["havel"]))) == [
        "Havel"
    ]
    assert _titles(_entries(client, reverse("correspondence:case_feed", args=[case.slug]))) == [
        "Havel"
    ]
    assert client.get(reverse("correspondence:tag_feed", args=["nope"])).status_code == 404


def test_feed_uses_a_fixed_number_of_queries(
    client: Client, case: Case, django_assert_max_num_queries: Any
) -> None:
    for n in range(10):
        make_post(case, title=f"Letter {n}", tags=(f"t{n}",))
    with django_assert_max_num_queries(5):
        assert len(_entries(client, reverse("correspondence:feed"))) == 10
