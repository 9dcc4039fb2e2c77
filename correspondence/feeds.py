"""Atom feeds: all letters from prison, one tag's, one case's."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cases.models import Case
from correspondence.models import Post, Tag
from correspondence.queries import in_reader_language, published_posts

FEED_SIZE = 30


class _PostFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def _items(self, posts: QuerySet[Post]) -> list[Post]:
        return [in_reader_language(p) for p in posts[:FEED_SIZE]]

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.summary

    def item_link(self, item: Post) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Post) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Post) -> datetime:
        return item.updated_at

    def item_categories(self, item: Post) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_author_name(self, item: Post) -> str:
        return item.case.name


class AllPostsFeed(_PostFeed):
    def title(self) -> str:
        return _("Letters from prison")

    def subtitle(self) -> str:
        return _("Letters from prisoners of conscience, published on Lantern.")

    def link(self) -> str:
        return reverse("correspondence:list")

    def items(self) -> list[Post]:
        return self._items(published_posts())


class TagFeed(_PostFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return obj.name

    def subtitle(self, obj: Tag) -> str:
        return _("Posts tagged “%(tag)s”") % {"tag": obj.name}

    def link(self, obj: Tag) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Tag) -> list[Post]:
        return self._items(published_posts().filter(tags=obj))


class CaseFeed(_PostFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Case:
        return get_object_or_404(Case, slug=slug)

    def title(self, obj: Case) -> str:
        return _("Letters from %(name)s") % {"name": obj.name}

    def subtitle(self, obj: Case) -> str:
        return _("Letters from %(name)s, published on Lantern.") % {"name": obj.name}

    def link(self, obj: Case) -> str:
        return reverse("correspondence:case", args=[obj.slug])

    def items(self, obj: Case) -> list[Post]:
        return self._items(published_posts().filter(case=obj))
