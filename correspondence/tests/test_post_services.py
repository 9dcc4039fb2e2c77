from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from cases.models import Case
from correspondence.models import Post, Tag
from correspondence.services import (
    PostInput,
    publish_post,
    unpublish_post,
    update_post,
)
from correspondence.tests.conftest import make_post

pytestmark = pytest.mark.django_db


def test_new_post_is_a_draft_with_a_slug_from_its_title_and_its_tags(case: Case) -> None:
    post = make_post(case, publish=False)
    assert post.status == Post.Status.DRAFT and post.published_at is None
    assert post.slug == "paris-paris-but-i-return-home"
    assert [t.name for t in post.tags.all()] == ["letters from Ales Bialiatski"]


def test_same_title_gets_another_slug_and_tags_are_reused_whatever_their_case(case: Case) -> None:
    first = make_post(case)
    second = make_post(case, tags=("Letters from  Ales Bialiatski", "Havel"))
    assert second.slug == f"{first.slug}-2"
    assert Tag.objects.count() == 2
    assert set(second.tags.values_list("name", flat=True)) == {
        "letters from Ales Bialiatski",
        "Havel",
    }


def test_publishing_sets_the_time_once_and_unpublishing_hides_the_post(case: Case) -> None:
    post = make_post(case, publish=False)
    publish_post(post, at=datetime(2013, 1, 1, tzinfo=UTC))
    publish_post(post, at=datetime(2014, 1, 1, tzinfo=UTC))
    post.refresh_from_db()
    assert post.is_published and post.published_at == datetime(2013, 1, 1, tzinfo=UTC)
    unpublish_post(post)
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT


def test_translation_takes_its_slug_from_the_original_and_one_per_language(case: Case) -> None:
    original = make_post(case)
    be = make_post(case, title="Парыж, Парыж…", language="be", translation_of=original)
    assert be.slug == f"{original.slug}-be"
    assert list(original.translations.all()) == [be]
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            case=case, title="x", slug="x", body="x", language="be", translation_of=original
        )


def test_update_changes_text_and_tags_but_keeps_the_address(case: Case) -> None:
    post = make_post(case)
    update_post(
        post,
        PostInput(case=case, title="New title", body="New text.", tags=("Havel",)),
    )
    post.refresh_from_db()
    assert (post.title, post.body, post.slug) == (
        "New title",
        "New text.",
        "paris-paris-but-i-return-home",
    )
    assert [t.name for t in post.tags.all()] == ["Havel"]


def test_dateline_is_written_in_the_readers_language(case: Case) -> None:
    post = make_post(case)
    with translation.override("en"):
        assert post.dateline == "2 December 2012, Babruysk"
    with translation.override("pl"):
        assert post.dateline == "2 grudnia 2012, Babruysk"
    with translation.override("be"):
        assert post.dateline == "2 снежня 2012, Babruysk"


def test_summary_is_the_excerpt_or_the_opening_paragraph(case: Case) -> None:
    post = make_post(case, body="First paragraph.\n\nSecond.")
    assert post.summary == "First paragraph."
    post.excerpt = "Chosen words."
    assert post.summary == "Chosen words."
