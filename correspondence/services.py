"""State changes for letters from prison: posts (create, update, publish, translate) and
replies turned into posts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cases.models import Case
from correspondence.models import Post, Reply, Tag

SLUG_MAX = 100


class ReplyAlreadyPosted(Exception):
    """The reply was already turned into a post."""


class ReplyNotTranscribed(Exception):
    """A reply without a transcription has no text to publish."""


class CaseNotPublishable(Exception):
    """The case's safety profile says letters from this person may not be published."""


@dataclass(frozen=True)
class PostInput:
    case: Case
    title: str
    body: str
    language: str = "en"
    written_on: date | None = None
    written_at: str = ""
    excerpt: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    translation_of: Post | None = None


def unique_slug(text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text, allow_unicode=False)[:SLUG_MAX].strip("-") or "post"
    slug, n = base, 1
    taken = Post.objects.all() if exclude_pk is None else Post.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def get_or_create_tags(names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=_unique_tag_slug(name))
        tags.append(tag)
    return tags


def _unique_tag_slug(name: str) -> str:
    base = slugify(name)[:SLUG_MAX].strip("-") or "tag"
    slug, n = base, 1
    while Tag.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_post(data: PostInput, *, author: AbstractBaseUser | None) -> Post:
    """A draft post (or a draft translation of one)."""
    slug_source = data.title
    if data.translation_of is not None:
        slug_source = f"{data.translation_of.slug}-{data.language}"
    post = Post.objects.create(
        case=data.case,
        title=data.title,
        slug=unique_slug(slug_source),
        language=data.language,
        translation_of=data.translation_of,
        written_on=data.written_on,
        written_at=data.written_at,
        body=data.body,
        excerpt=data.excerpt,
        created_by_id=author.pk if author is not None else None,
    )
    post.tags.set(get_or_create_tags(data.tags))
    return post


@transaction.atomic
def update_post(post: Post, data: PostInput) -> Post:
    """Change a post's text and details; the slug (its address) stays."""
    post.case = data.case
    post.title = data.title
    post.body = data.body
    post.language = data.language
    post.translation_of = data.translation_of
    post.written_on = data.written_on
    post.written_at = data.written_at
    post.excerpt = data.excerpt
    post.save(
        update_fields=[
            "case",
            "title",
            "body",
            "language",
            "translation_of",
            "written_on",
            "written_at",
            "excerpt",
            "updated_at",
        ]
    )
    post.tags.set(get_or_create_tags(data.tags))
    return post


@transaction.atomic
def publish_post(post: Post, *, at: datetime | None = None) -> Post:
    """Make the post public. Publishing again keeps the first publication time. Refused when
    the case's safety profile forbids publishing their letters."""
    if not post.case.may_be_published:
        raise CaseNotPublishable(post.case.slug)
    if post.is_published:
        return post
    post.status = Post.Status.PUBLISHED
    post.published_at = at or timezone.now()
    post.save(update_fields=["status", "published_at", "updated_at"])
    return post


@transaction.atomic
def unpublish_post(post: Post) -> Post:
    post.status = Post.Status.DRAFT
    post.save(update_fields=["status", "updated_at"])
    return post


@transaction.atomic
def publish_reply_as_post(reply: Reply, editor: AbstractBaseUser) -> Post:
    """A draft post from a reply: its transcription, date and place, in its language.
    The editor then adds an excerpt, tags and photos, and publishes it."""
    reply = Reply.objects.select_for_update().select_related("case").get(pk=reply.pk)
    if reply.post_id is not None:
        raise ReplyAlreadyPosted
    if not reply.transcription.strip():
        raise ReplyNotTranscribed
    if reply.written_on:
        title = _("Letter from %(name)s, %(date)s") % {
            "name": reply.case.name,
            "date": f"{reply.written_on:%Y-%m-%d}",
        }
    else:
        title = _("Letter from %(name)s") % {"name": reply.case.name}
    post = create_post(
        PostInput(
            case=reply.case,
            title=title,
            body=reply.transcription.strip(),
            language=reply.language,
            written_on=reply.written_on,
            written_at=reply.written_at,
        ),
        author=editor,
    )
    reply.post = post
    reply.save(update_fields=["post"])
    return post
