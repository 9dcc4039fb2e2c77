"""Who works the mail desk, and the checked getters its pages use."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from cases.models import Facility
from mail.models import MailBatch, MailItem
from partners.access import to_login
from partners.models import Membership


def is_mail_desk(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Organizers (staff) and partners' mail desk members."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_staff", False):
        return True
    return Membership.objects.filter(user_id=user.pk, role=Membership.Role.MAIL_DESK).exists()


def is_organizer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and bool(getattr(user, "is_staff", False))


def _required(
    allowed: Callable[[AbstractBaseUser | AnonymousUser], bool],
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return to_login(request)  # members who are not staff sign in there
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Anonymous users go to the login page; signed-in users without the role get 403.
mail_desk_required = _required(is_mail_desk)
organizer_required = _required(is_organizer)


def get_facility_for_mail_desk(request: HttpRequest, pk: int) -> Facility:
    if not is_mail_desk(request.user):
        raise PermissionDenied
    return get_object_or_404(Facility, pk=pk)


def get_batch_for_mail_desk(request: HttpRequest, pk: int) -> MailBatch:
    if not is_mail_desk(request.user):
        raise PermissionDenied
    return get_object_or_404(MailBatch.objects.select_related("facility"), pk=pk)


def get_item_for_mail_desk(request: HttpRequest, pk: int) -> MailItem:
    if not is_mail_desk(request.user):
        raise PermissionDenied
    return get_object_or_404(MailItem.objects.select_related("batch", "letter"), pk=pk)
