"""Who may moderate and translate letters, and the checked getters views use to fetch them.

Organizers (staff) may do both everywhere. A partner's moderator moderates, and a partner's
translator translates, the letters of the campaigns that partner takes part in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from letters.models import Letter
from partners.models import Membership

Role = Membership.Role


def _is_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_staff", False))


def has_role(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    """Staff, or a member of some partner with this role."""
    if not user.is_authenticated:
        return False
    return _is_staff(user) or Membership.objects.filter(user_id=user.pk, role=role).exists()


def letters_for(user: AbstractBaseUser | AnonymousUser, role: str) -> QuerySet[Letter]:
    """The letters this user may work on in this role (all of them for staff)."""
    if _is_staff(user):
        return Letter.objects.all()
    if not user.is_authenticated:
        return Letter.objects.none()
    partner_ids = Membership.objects.filter(user_id=user.pk, role=role).values("partner_id")
    return Letter.objects.filter(Q(campaign__partners__in=partner_ids)).distinct()


View = Callable[..., HttpResponse]


def role_required(role: str) -> Callable[[View], View]:
    """Anonymous users go to the login page; signed-in users without the role get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, role):
                raise PermissionDenied
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        return wrapper

    return decorator


moderator_required = role_required(Role.MODERATOR)
translator_required = role_required(Role.TRANSLATOR)


def _get_letter(request: HttpRequest, pk: int, role: str) -> Letter:
    letter = get_object_or_404(Letter.objects.select_related("case", "campaign"), pk=pk)
    if not letters_for(request.user, role).filter(pk=letter.pk).exists():
        raise PermissionDenied
    return letter


def get_letter_for_moderator(request: HttpRequest, pk: int) -> Letter:
    """A letter of a campaign the user moderates; 404 if none, 403 if not theirs."""
    return _get_letter(request, pk, Role.MODERATOR)


def get_letter_for_translator(request: HttpRequest, pk: int) -> Letter:
    """A letter of a campaign the user translates for; 404 if none, 403 if not theirs."""
    return _get_letter(request, pk, Role.TRANSLATOR)
