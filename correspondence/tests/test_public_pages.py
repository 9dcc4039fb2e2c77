from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case
from correspondence.tests.conftest import make_post
from lantern.testing import make_case

pytestmark = pytest.mark.django_db

LIST = reverse("correspondence:list")


def test_list_shows_published_posts_with_excerpt_and_read_more(client: Client, case: Case) -> None:
    post = make_post(case, excerpt="The Board met in June.")
    make_post(case, title="A draft nobody sees", publish=False)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert post.title in html and "The Board met in June." in html
    assert "2 December 2012, Babruysk" in html
    assert f'href="{post.get_absolute_url()}"' in html and "Read More" in html
    assert "A draft nobody sees" not in html
    assert reverse("correspondence:feed") in html


def test_list_pages_use_a_fixed_number_of_queries(
    client: Client, case: Case, django_assert_max_num_queries: Any
) -> None:
    other = make_case(slug="other")
    for n in range(12):
        original = make_post(case if n % 2 else other, title=f"Letter {n}", tags=(f"t{n}", "all"))
        make_post(
            case if n % 2 else other, title=f"Ліст {n}", language="be", translation_of=original
        )
    tag_url = reverse("correspondence:tag", args=["all"])
    case_url = reverse("correspondence:case", args=[case.slug])
    for url in (LIST, tag_url, case_url, f"{LIST}?page=2"):
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_list_shows_originals_only_and_each_in_the_readers_language(
    client: Client, case: Case
) -> None:
    original = make_post(case, title="Don't be afraid!")
    make_post(case, title="Не бойцеся!", language="be", translation_of=original)
    english = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "be afraid!" in english and "Не бойцеся!" not in english
    belarusian = client.get(LIST, HTTP_ACCEPT_LANGUAGE="be").content.decode()
    assert "Не бойцеся!" in belarusian and "be afraid!" not in belarusian


def test_post_page_shows_text_dateline_tags_and_other_languages(client: Client, case: Case) -> None:
    original = make_post(case, body="First <b>paragraph</b>.\n\nSecond paragraph.")
    translation = make_post(case, title="Парыж", language="be", translation_of=original)
    html = client.get(original.get_absolute_url()).content.decode()
    assert "<p>First &lt;b&gt;paragraph&lt;/b&gt;.</p>" in html  # text is escaped, not HTML
    assert "<p>Second paragraph.</p>" in html
    assert "2 December 2012, Babruysk" in html
    assert reverse("correspondence:tag", args=["letters-from-ales-bialiatski"]) in html
    assert f'href="{translation.get_absolute_url()}" hreflang="be"' in html
    back = client.get(translation.get_absolute_url()).content.decode()
    assert f'href="{original.get_absolute_url()}" hreflang="en"' in back


def test_draft_post_is_hidden_from_the_public_and_shown_to_editors(
    client: Client, case: Case, editor: Any
) -> None:
    draft = make_post(case, publish=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "only editors see this page" in response.content.decode()


def test_tag_and_case_pages_list_only_their_posts(client: Client, case: Case) -> None:
    mine = make_post(case, title="Mine", tags=("letters from Ales Bialiatski",))
    other = make_post(make_case(slug="someone"), title="Someone else's", tags=("other",))
    tag_html = client.get(reverse("correspondence:tag", args=["letters-from-ales-bialiatski"]))
    assert "<h1>letters from Ales Bialiatski</h1>" in tag_html.content.decode()
    assert mine.title in tag_html.content.decode()
    assert other.title not in tag_html.content.decode()
    case_html = client.get(reverse("correspondence:case", args=[case.slug])).content.decode()
    assert "Letters from Ales Bialiatski" in case_html
    assert mine.title in case_html and other.title not in case_html


def test_unknown_tag_case_or_post_is_404_and_lists_refuse_post(client: Client, case: Case) -> None:
    assert client.get(reverse("correspondence:tag", args=["nope"])).status_code == 404
    assert client.get(reverse("correspondence:case", args=["nope"])).status_code == 404
    assert client.get(reverse("correspondence:post", args=["nope"])).status_code == 404
    assert client.post(LIST).status_code == 405


def test_posts_disappear_when_the_case_may_no_longer_be_published(
    client: Client, case: Case, editor: Any
) -> None:
    post = make_post(case)
    case.may_be_published = False
    case.save(update_fields=["may_be_published"])
    assert post.title not in client.get(LIST).content.decode()
    assert post.title not in client.get(reverse("correspondence:feed")).content.decode()
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(editor)
    assert client.get(post.get_absolute_url()).status_code == 200


def test_translation_in_a_language_django_does_not_know_is_linked_by_its_code(
    client: Client, case: Case
) -> None:
    original = make_post(case)
    make_post(case, title="Dopis", language="cs", translation_of=original)
    make_post(case, title="Other", language="xx-test", translation_of=original)
    html = client.get(original.get_absolute_url()).content.decode()
    assert 'hreflang="cs" lang="cs">česky</a>' in html
    assert 'hreflang="xx-test" lang="xx-test">xx-test</a>' in html
