from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Case
from correspondence.access import (
    editor_required,
    get_post_for_editor,
    get_public_post,
    get_reply_for_editor,
)
from correspondence.forms import PhotoFormSet, PostForm
from correspondence.models import Post, Reply, Tag
from correspondence.queries import PAGE_SIZE, in_reader_language, published_posts, translations_of
from correspondence.services import (
    CaseNotPublishable,
    ReplyAlreadyPosted,
    ReplyNotTranscribed,
    create_post,
    publish_post,
    publish_reply_as_post,
    unpublish_post,
    update_post,
)


def _render_list(
    request: HttpRequest, posts: QuerySet[Post], template: str, context: dict[str, object]
) -> HttpResponse:
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        {"page": page, "entries": [(in_reader_language(p), p) for p in page.object_list]}
    )
    return render(request, template, context)


@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    tags = Tag.objects.filter(
        posts__status=Post.Status.PUBLISHED, posts__case__may_be_published=True
    ).distinct()
    return _render_list(request, published_posts(), "correspondence/list.html", {"tags": tags})


@require_GET
def tag_posts(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    posts = published_posts().filter(tags=tag)
    return _render_list(request, posts, "correspondence/tag.html", {"tag": tag})


@require_GET
def case_posts(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(Case, slug=slug)
    posts = published_posts().filter(case=case)
    return _render_list(request, posts, "correspondence/case.html", {"case": case})


@require_GET
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = get_public_post(request, slug)
    context = {"post": post, "family": translations_of(post)}
    return render(request, "correspondence/post.html", context)


# --- Editors ---------------------------------------------------------------------------


@require_GET
@editor_required
def editor_home(request: HttpRequest) -> HttpResponse:
    posts = Post.objects.select_related("case", "translation_of").order_by("-updated_at")[:100]
    replies = Reply.objects.filter(post=None).select_related("case")[:100]
    return render(request, "correspondence/editor_home.html", {"posts": posts, "replies": replies})


@require_http_methods(["GET", "POST"])
@editor_required
def post_new(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = create_post(form.to_input(), author=request.user)  # type: ignore[arg-type]
        return redirect("correspondence:edit", post.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "correspondence/edit.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_editor(request, pk)
    form = PostForm(request.POST or None, instance=post)
    photos = PhotoFormSet(request.POST or None, request.FILES or None, instance=post)
    if request.method == "POST":
        if form.is_valid() and photos.is_valid():
            with transaction.atomic():
                update_post(post, form.to_input())
                photos.save()
            return redirect("correspondence:edit", post.pk)
        context = {"form": form, "photos": photos, "post": post}
        return render(request, "correspondence/edit.html", context, status=400)
    return render(
        request, "correspondence/edit.html", {"form": form, "photos": photos, "post": post}
    )


@require_POST
@editor_required
def post_publish(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_editor(request, pk)
    if request.POST.get("unpublish"):
        unpublish_post(post)
        return redirect("correspondence:edit", post.pk)
    try:
        publish_post(post)
    except CaseNotPublishable:
        message = _("Letters from this person may not be published: see their safety profile.")
        return render(request, "correspondence/reply_error.html", {"message": message}, status=409)
    return redirect(post.get_absolute_url())


@require_POST
@editor_required
def reply_to_post(request: HttpRequest, pk: int) -> HttpResponse:
    reply = get_reply_for_editor(request, pk)
    try:
        post = publish_reply_as_post(reply, request.user)  # type: ignore[arg-type]
    except ReplyAlreadyPosted:
        assert reply.post_id is not None  # noqa: S101 - the exception means it is set
        return redirect("correspondence:edit", reply.post_id)
    except ReplyNotTranscribed:
        message = _("This reply has no transcription yet: transcribe it before publishing.")
        return render(request, "correspondence/reply_error.html", {"message": message}, status=409)
    return redirect("correspondence:edit", post.pk)
