"""Who may do what, in one place: roles, permissions, decorators and checked getters.

Organizers are staff and may do everything. Everyone else acts through a `Membership` in a
partner organization, whose role grants the permissions in `ROLE_PERMISSIONS`. Views never
check roles by hand: they use `partner_permission_required` (or `role_required`) and fetch
objects through the `get_*_for_*` getters below, which raise 403 or 404.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from campaigns.models import Campaign
from partners.models import ApiToken, Membership, Partner, WebhookEndpoint

Role = Membership.Role
P = ParamSpec("P")


class Permission(StrEnum):
    VIEW_PARTNER = "view_partner"  # the partner area and its campaigns
    VIEW_ACTIONS = "view_actions"  # the partner's own actions, and their export
    VIEW_SUPPORTERS = "view_supporters"  # consenting supporters' contact data, and its export
    MANAGE_TOKENS = "manage_tokens"  # create and revoke API tokens
    MANAGE_WEBHOOKS = "manage_webhooks"  # register and remove webhook endpoints
    REPORT_EVENTS = "report_events"  # report an offline event for the partner
    MODERATE_LETTERS = "moderate_letters"
    TRANSLATE_LETTERS = "translate_letters"
    HANDLE_MAIL = "handle_mail"  # print batches, record posting and delivery
    PUBLISH_POSTS = "publish_posts"  # letters from prison, campaign results


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.PARTNER_ADMIN: frozenset(
        {
            Permission.VIEW_PARTNER,
            Permission.VIEW_ACTIONS,
            Permission.VIEW_SUPPORTERS,
            Permission.MANAGE_TOKENS,
            Permission.MANAGE_WEBHOOKS,
            Permission.REPORT_EVENTS,
        }
    ),
    Role.REPORTER: frozenset(
        {Permission.VIEW_PARTNER, Permission.VIEW_ACTIONS, Permission.REPORT_EVENTS}
    ),
    Role.MODERATOR: frozenset(
        {Permission.VIEW_PARTNER, Permission.MODERATE_LETTERS, Permission.TRANSLATE_LETTERS}
    ),
    Role.TRANSLATOR: frozenset({Permission.VIEW_PARTNER, Permission.TRANSLATE_LETTERS}),
    Role.MAIL_DESK: frozenset({Permission.VIEW_PARTNER, Permission.HANDLE_MAIL}),
    Role.EDITOR: frozenset({Permission.VIEW_PARTNER, Permission.PUBLISH_POSTS}),
}

User = AbstractBaseUser | AnonymousUser


def is_organizer(user: User) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_staff", False))


def roles_in(user: User, partner: Partner) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user_id=user.pk, partner=partner).values_list("role", flat=True)
    )


def permissions_in(user: User, partner: Partner) -> frozenset[Permission]:
    """Everything `user` may do in `partner`: all of it for organizers."""
    if is_organizer(user):
        return frozenset(Permission)
    granted: set[Permission] = set()
    for role in roles_in(user, partner):
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


def request_permissions(request: HttpRequest, partner: Partner) -> frozenset[Permission]:
    """`permissions_in` for the request's user, read once per request and partner."""
    cache: dict[int, frozenset[Permission]] = request.__dict__.setdefault(
        "_partner_permissions", {}
    )
    if partner.pk not in cache:
        cache[partner.pk] = permissions_in(request.user, partner)
    return cache[partner.pk]


def has_permission(user: User, permission: Permission, partner: Partner | None = None) -> bool:
    """In `partner`, or (without one) in any partner the user belongs to."""
    if is_organizer(user):
        return True
    if not user.is_authenticated:
        return False
    if partner is not None:
        return permission in permissions_in(user, partner)
    roles = {r for r, granted in ROLE_PERMISSIONS.items() if permission in granted}
    return Membership.objects.filter(user_id=user.pk, role__in=roles).exists()


def partners_for(user: User) -> QuerySet[Partner]:
    """The partners whose area the user may open: all for organizers."""
    if is_organizer(user):
        return Partner.objects.all()
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(memberships__user_id=user.pk).distinct()


def to_login(request: HttpRequest) -> HttpResponse:
    """Members sign in on the partners' page: the admin's login takes staff only."""
    return redirect_to_login(request.get_full_path(), login_url=reverse("partners:login"))


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Organizers, or members holding one of `roles` in any partner; anonymous to login."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return to_login(request)
            if (
                not is_organizer(request.user)
                and not Membership.objects.filter(user_id=request.user.pk, role__in=roles).exists()
            ):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_partner_for(request: HttpRequest, slug: str, permission: Permission) -> Partner:
    """The partner named `slug`, if the user may do `permission` there: else 404 or 403."""
    partner = get_object_or_404(Partner, slug=slug)
    if permission not in request_permissions(request, partner):
        raise PermissionDenied
    return partner


def get_partner_for_admin(request: HttpRequest, slug: str) -> Partner:
    return get_partner_for(request, slug, Permission.MANAGE_TOKENS)


PartnerView = Callable[Concatenate[HttpRequest, Partner, P], HttpResponse]


def partner_permission_required(
    permission: Permission,
) -> Callable[[PartnerView[P]], Callable[..., HttpResponse]]:
    """For views under /partners/<slug>/: login first, then the permission in that partner.

    The view receives the checked `Partner` in place of the slug.
    """

    def decorator(view: PartnerView[P]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return to_login(request)
            partner = get_partner_for(request, slug, permission)
            return view(request, partner, *args, **kwargs)

        return wrapper

    return decorator


def campaigns_for_partner(user: User, partner: Partner) -> QuerySet[Campaign]:
    """The campaigns the partner takes part in; drafts only for organizers."""
    campaigns = partner.campaigns.all()
    if not is_organizer(user):
        campaigns = campaigns.exclude(status=Campaign.Status.DRAFT)
    return campaigns.order_by("-starts_on", "title")


def get_campaign_for_partner(request: HttpRequest, partner: Partner, slug: str) -> Campaign:
    """A campaign the (already checked) partner takes part in, else 404."""
    return get_object_or_404(campaigns_for_partner(request.user, partner), slug=slug)


def get_token_for_admin(request: HttpRequest, partner: Partner, pk: int) -> ApiToken:
    if Permission.MANAGE_TOKENS not in request_permissions(request, partner):
        raise PermissionDenied
    return get_object_or_404(ApiToken, partner=partner, pk=pk)


def get_webhook_for_admin(request: HttpRequest, partner: Partner, pk: int) -> WebhookEndpoint:
    if Permission.MANAGE_WEBHOOKS not in request_permissions(request, partner):
        raise PermissionDenied
    return get_object_or_404(WebhookEndpoint, partner=partner, pk=pk)
