"""Who may edit posts and replies, and the checked getters views use to fetch them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from correspondence.models import Post, Reply
from partners.models import Membership


def is_editor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Organizers (staff) and partners' editors publish letters from prison."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_staff", False):
        return True
    return Membership.objects.filter(user_id=user.pk, role=Membership.Role.EDITOR).exists()


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users go to the login page; signed-in users who are not editors get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_editor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_post_for_editor(request: HttpRequest, pk: int) -> Post:
    if not is_editor(request.user):
        raise PermissionDenied
    return get_object_or_404(Post.objects.select_related("case"), pk=pk)


def get_reply_for_editor(request: HttpRequest, pk: int) -> Reply:
    if not is_editor(request.user):
        raise PermissionDenied
    return get_object_or_404(Reply.objects.select_related("case"), pk=pk)


def get_public_post(request: HttpRequest, slug: str) -> Post:
    """A published post of a case whose letters may be published; else only for editors
    previewing it, or 404."""
    post = get_object_or_404(
        Post.objects.select_related("case", "translation_of").prefetch_related("tags", "photos"),
        slug=slug,
    )
    if (post.is_published and post.case.may_be_published) or is_editor(request.user):
        return post
    raise Http404("No such post.")
