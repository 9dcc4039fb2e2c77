from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from cases.models import Case
from conftest import Cast
from correspondence.models import Post
from correspondence.tests.conftest import make_post

pytestmark = pytest.mark.django_db

NEW = reverse("correspondence:new")
HOME = reverse("correspondence:editor")


def _form(case: Case, **extra: Any) -> dict[str, Any]:
    data = {
        "case": case.pk,
        "title": "Don't be afraid!",
        "language": "en",
        "written_on": "2011-11-30",
        "written_at": "Minsk",
        "body": "I want to repeat to everyone: don't be afraid!",
        "excerpt": "",
        "tag_names": "letters from Ales Bialiatski, verdict",
    }
    data.update(extra)
    return data


def _photos(**extra: Any) -> dict[str, Any]:
    data = {
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("who", ["editor", "organizer"])
def test_editors_and_organizers_write_a_post_as_a_draft(
    client: Client, case: Case, cast: Cast, editor: User, who: str
) -> None:
    client.force_login(editor if who == "editor" else cast.organizer)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, _form(case))
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "correspondence:edit", args=[post.pk]
    )
    assert post.status == Post.Status.DRAFT and post.written_at == "Minsk"
    assert sorted(post.tags.values_list("name", flat=True)) == [
        "letters from Ales Bialiatski",
        "verdict",
    ]
    assert post.created_by == (editor if who == "editor" else cast.organizer)


def test_bad_post_form_is_shown_again_with_errors_and_nothing_saved(
    client: Client, case: Case, editor: User
) -> None:
    client.force_login(editor)
    response = client.post(NEW, _form(case, title="", written_on="30 Nov"))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"title", "written_on"}
    assert "I want to repeat to everyone" in response.content.decode()
    assert not Post.objects.exists()


def test_translation_in_the_originals_language_is_refused(
    client: Client, case: Case, editor: User
) -> None:
    original = make_post(case)
    client.force_login(editor)
    response = client.post(NEW, _form(case, translation_of=original.pk, language="en"))
    assert response.status_code == 400
    assert "A translation must be in another language." in response.content.decode()
    client.post(NEW, _form(case, translation_of=original.pk, language="be", title="Не бойцеся"))
    assert original.translations.get().language == "be"


def test_editor_edits_text_and_adds_a_photo_with_caption(
    client: Client, case: Case, editor: User, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from correspondence.tests.images import png_bytes

    settings.MEDIA_ROOT = tmp_path
    post = make_post(case)
    client.force_login(editor)
    url = reverse("correspondence:edit", args=[post.pk])
    assert client.get(url).status_code == 200
    photo = SimpleUploadedFile("warsaw.png", png_bytes(), content_type="image/png")
    data = _form(case, title="Edited") | _photos(
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-0-caption": "Warsaw (Poland)",
            "photos-0-image": photo,
            "photos-0-position": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Edited" and post.photos.get().caption == "Warsaw (Poland)"
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<figcaption>Warsaw (Poland)</figcaption>" in html


def test_publish_makes_the_post_public_and_unpublish_hides_it(
    client: Client, case: Case, editor: User
) -> None:
    post = make_post(case, publish=False)
    client.force_login(editor)
    url = reverse("correspondence:publish", args=[post.pk])
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    post.refresh_from_db()
    assert post.is_published
    client.post(url, {"unpublish": "1"})
    post.refresh_from_db()
    assert not post.is_published


def test_editor_home_lists_posts_and_unpublished_replies(
    client: Client, case: Case, editor: User
) -> None:
    make_post(case, title="A draft", publish=False)
    client.force_login(editor)
    html = client.get(HOME).content.decode()
    assert "A draft" in html


def _urls(post: Post) -> list[tuple[str, str]]:
    return [
        ("get", HOME),
        ("get", NEW),
        ("get", reverse("correspondence:edit", args=[post.pk])),
        ("post", reverse("correspondence:publish", args=[post.pk])),
    ]


def test_anonymous_users_are_sent_to_the_login_page(client: Client, case: Case) -> None:
    post = make_post(case, publish=False)
    for method, url in _urls(post):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/partners/login/" in response["Location"], url
    assert not Post.objects.get().is_published


@pytest.mark.parametrize("who", ["reporter", "moderator", "outsider"])
def test_users_who_are_not_editors_are_forbidden(
    client: Client, case: Case, cast: Cast, who: str
) -> None:
    post = make_post(case, publish=False)
    client.force_login(getattr(cast, who))
    for method, url in _urls(post):
        assert getattr(client, method)(url).status_code == 403, url
    assert client.post(NEW, _form(case)).status_code == 403
    assert not Post.objects.get().is_published


def test_wrong_methods_are_refused(client: Client, case: Case, editor: User) -> None:
    post = make_post(case, publish=False)
    client.force_login(editor)
    assert client.get(reverse("correspondence:publish", args=[post.pk])).status_code == 405
    assert client.post(HOME).status_code == 405
    assert client.delete(NEW).status_code == 405
    assert client.put(reverse("correspondence:edit", args=[post.pk])).status_code == 405


def test_publishing_is_refused_when_the_case_may_not_be_published(
    client: Client, case: Case, editor: User
) -> None:
    post = make_post(case, publish=False)
    case.may_be_published = False
    case.save(update_fields=["may_be_published"])
    client.force_login(editor)
    response = client.post(reverse("correspondence:publish", args=[post.pk]))
    assert response.status_code == 409
    assert "may not be published" in response.content.decode()
    post.refresh_from_db()
    assert not post.is_published


def test_a_post_in_a_language_the_site_is_not_in_can_be_edited(
    client: Client, case: Case, editor: User
) -> None:
    post = make_post(case, language="cs", publish=False)
    client.force_login(editor)
    url = reverse("correspondence:edit", args=[post.pk])
    response = client.post(url, _form(case, language="cs", title="Dopis") | _photos())
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.language, post.title) == ("cs", "Dopis")
