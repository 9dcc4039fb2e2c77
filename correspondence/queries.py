"""Read-side helpers: the published posts for the public pages, in the reader's language."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language

from correspondence.models import Post

PAGE_SIZE = 10


def published_posts() -> QuerySet[Post]:
    """Published originals, newest first, with what lists show, in a fixed number of queries."""
    language = (get_language() or "en").split("-")[0]
    translations = (
        Post.objects.filter(status=Post.Status.PUBLISHED, language=language)
        .select_related("case")
        .prefetch_related("tags")
    )
    return (
        Post.objects.filter(
            status=Post.Status.PUBLISHED, translation_of=None, case__may_be_published=True
        )
        .select_related("case")
        .prefetch_related(
            "tags",
            Prefetch("translations", queryset=translations, to_attr="reader_translations"),
        )
        .order_by("-published_at", "-pk")
    )


def in_reader_language(post: Post) -> Post:
    """The post's published translation in the reader's language, when it has one."""
    found: list[Post] = getattr(post, "reader_translations", [])
    return found[0] if found else post


def translations_of(post: Post) -> list[Post]:
    """The original and every published translation of it, the post itself included."""
    original = post.translation_of or post
    family = [original, *original.translations.filter(status=Post.Status.PUBLISHED)]
    return [p for p in family if p.is_published or p.pk == post.pk]
