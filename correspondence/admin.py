from __future__ import annotations

from django.contrib import admin

from correspondence.models import Post, PostPhoto, Reply, Tag


class PostPhotoInline(admin.TabularInline[PostPhoto, Post]):
    model = PostPhoto
    extra = 0


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["title", "case", "language", "status", "published_at"]
    list_filter = ["status", "language", "tags"]
    search_fields = ["title", "body"]
    readonly_fields = ["status", "published_at"]
    inlines = [PostPhotoInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin[Reply]):
    list_display = ["case", "written_on", "written_at", "received_on", "language", "post"]
    list_filter = ["language"]
    readonly_fields = ["post"]
    raw_id_fields = ["answers_letters", "answers_batch"]
