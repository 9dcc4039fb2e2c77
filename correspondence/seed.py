"""Posts from an archive page like seed document 003: a header naming the tag
("letters from Ales Bialiatski tagged posts"), then posts, each a title, paragraphs and a
closing "Read More". A paragraph like "2 December 2012, Babruysk" is the dateline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from correspondence.models import Post
from correspondence.services import PostInput, create_post, publish_post

READ_MORE = "Read More"
TAGGED = " tagged posts"
DATELINE = re.compile(
    r"^(?P<day>\d{1,2}) (?P<month>[A-Z][a-z]+) (?P<year>\d{4}), (?P<place>[^,.]+)$"
)
# A short line without punctuation right under a title is a photo's caption on the source page.
CAPTION = re.compile(r"^[\w’' -]{1,40}$")


@dataclass(frozen=True)
class SeedPost:
    title: str
    paragraphs: tuple[str, ...]
    written_on: date | None
    written_at: str


@dataclass(frozen=True)
class SeedArchive:
    tag: str
    posts: tuple[SeedPost, ...]


def parse_archive(text: str) -> SeedArchive:
    lines = text.replace("\r\n", "\n").split("\n")
    header = lines[0].strip()
    tag = header[: -len(TAGGED)] if header.endswith(TAGGED) else header
    posts: list[SeedPost] = []
    block: list[str] = []
    for line in lines[1:]:
        if line.strip() == READ_MORE:
            if block:
                posts.append(_parse_post(block))
            block = []
        elif line.strip():
            block.append(" ".join(line.split()))
    return SeedArchive(tag=tag, posts=tuple(posts))


def _parse_post(block: list[str]) -> SeedPost:
    title, *paragraphs = block
    written_on, written_at = None, ""
    kept: list[str] = []
    for i, para in enumerate(paragraphs):
        match = DATELINE.match(para)
        day = _date(match) if match and written_on is None else None
        if match and day is not None:
            written_on, written_at = day, match["place"].strip()
            continue
        if i == 0 and CAPTION.match(para) and not para.endswith("."):
            continue
        kept.append(para)
    return SeedPost(title, tuple(kept), written_on, written_at)


def _date(dateline: re.Match[str]) -> date | None:
    """The dateline's date; None if it names no real day ("31 February 2012")."""
    stamp = f"{dateline['day']} {dateline['month']} {dateline['year']}"
    try:
        return datetime.strptime(stamp, "%d %B %Y").date()  # noqa: DTZ007 - a date
    except ValueError:
        return None


@transaction.atomic
def import_archive(archive: SeedArchive, case: Case, *, language: str = "en") -> list[Post]:
    """Publish each post of the archive once (a post the case already has under the same
    title is skipped), newest first as on the source page."""
    created = []
    now = timezone.now()
    for index, seed_post in enumerate(archive.posts):
        if Post.objects.filter(case=case, title=seed_post.title, translation_of=None).exists():
            continue
        post = create_post(
            PostInput(
                case=case,
                title=seed_post.title,
                body="\n\n".join(seed_post.paragraphs),
                language=language,
                written_on=seed_post.written_on,
                written_at=seed_post.written_at,
                tags=(archive.tag,),
            ),
            author=None,
        )
        publish_post(post, at=now - timedelta(hours=index))
        created.append(post)
    return created
