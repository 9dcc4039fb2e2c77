"""Who may do what in the partner area: one table, every role, every page.

Organizers (staff) may do everything; a partner's members what their role grants in their
own partner only; anyone else gets 403, anonymous visitors the login page, and wrong HTTP
methods 405.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from conftest import Cast
from lantern.testing import make_campaign, make_partner
from partners.access import ROLE_PERMISSIONS, Permission, has_permission
from partners.models import ApiToken, Membership, Partner
from partners.services import create_api_token
from partners.tests.helpers import member, one_of_each_role
from partners.webhooks import register_webhook

pytestmark = pytest.mark.django_db

Role = Membership.Role
EVERYONE = ["organizer", *Role.values, "other_partner_admin", "outsider"]


@pytest.fixture
def people(cast: Cast) -> dict[str, User]:
    """One user per role in the cast's partner, an admin of another partner, an outsider."""
    users = one_of_each_role(cast)
    make_campaign(partners=[cast.partner])
    return users


# page name -> (method, url builder, who may)
ADMIN = {"organizer", Role.PARTNER_ADMIN}
MEMBERS = {"organizer", *Role.values}
PAGES: dict[str, tuple[str, Callable[[Partner], str], set[str]]] = {
    "dashboard": ("get", lambda p: reverse("partners:dashboard", args=[p.slug]), MEMBERS),
    "actions": (
        "get",
        lambda p: reverse("partners:actions", args=[p.slug]),
        {"organizer", Role.PARTNER_ADMIN, Role.REPORTER},
    ),
    "actions.csv": (
        "get",
        lambda p: reverse("partners:export_actions", args=[p.slug, "csv"]),
        {"organizer", Role.PARTNER_ADMIN, Role.REPORTER},
    ),
    "actions.xlsx": (
        "get",
        lambda p: reverse("partners:export_actions", args=[p.slug, "xlsx"]),
        {"organizer", Role.PARTNER_ADMIN, Role.REPORTER},
    ),
    "supporters": ("get", lambda p: reverse("partners:supporters", args=[p.slug]), ADMIN),
    "supporters.csv": (
        "get",
        lambda p: reverse("partners:export_supporters", args=[p.slug, "csv"]),
        ADMIN,
    ),
    "osdi": ("get", lambda p: reverse("partners:export_osdi", args=[p.slug]), ADMIN),
    "tokens": ("get", lambda p: reverse("partners:tokens", args=[p.slug]), ADMIN),
    "revoke token": (
        "post",
        lambda p: reverse(
            "partners:revoke_token",
            args=[p.slug, create_api_token(p, "t", [ApiToken.Scope.READ_TOTALS])[0].pk],
        ),
        ADMIN,
    ),
    "webhooks": ("get", lambda p: reverse("partners:webhooks", args=[p.slug]), ADMIN),
    "remove webhook": (
        "post",
        lambda p: reverse(
            "partners:remove_webhook",
            args=[p.slug, register_webhook(p, "https://crm.example.org/hook")[0].pk],
        ),
        ADMIN,
    ),
}


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("page", list(PAGES))
def test_each_role_may_open_only_what_its_role_grants(
    client: Client, cast: Cast, people: dict[str, User], page: str, who: str
) -> None:
    method, url, allowed = PAGES[page]
    client.force_login(people[who])

    response = getattr(client, method)(url(cast.partner))

    if who in allowed:
        assert response.status_code in (200, 302), response.content[:300]
        if method == "post":
            assert response["Location"].startswith(f"/partners/{cast.partner.slug}/")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_visitors_are_sent_to_the_login_page(
    client: Client, cast: Cast, people: dict[str, User], page: str
) -> None:
    method, url, _ = PAGES[page]

    response = getattr(client, method)(url(cast.partner))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partners:login") + "?next=")


@pytest.mark.parametrize("page", list(PAGES))
def test_wrong_http_methods_are_405(
    client: Client, cast: Cast, people: dict[str, User], page: str
) -> None:
    method, url, _ = PAGES[page]
    client.force_login(cast.organizer)
    wrong = {"get": ["put", "delete"], "post": ["get", "put"]}[method]
    if page in ("tokens", "webhooks"):
        wrong = ["put", "delete"]  # these pages take GET and POST

    for other in wrong:
        assert getattr(client, other)(url(cast.partner)).status_code == 405, other


def test_an_unknown_partner_is_404_even_for_organizers(client: Client, cast: Cast) -> None:
    client.force_login(cast.organizer)

    assert client.get(reverse("partners:dashboard", args=["nobody"])).status_code == 404


def test_a_partner_admin_cannot_reach_another_partners_token(
    client: Client, cast: Cast, people: dict[str, User]
) -> None:
    elsewhere = Partner.objects.get(slug="elsewhere")
    theirs, _ = create_api_token(elsewhere, "theirs", [ApiToken.Scope.READ_TOTALS])
    client.force_login(people[Role.PARTNER_ADMIN])

    url = reverse("partners:revoke_token", args=[cast.partner.slug, theirs.pk])
    response = client.post(url)

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_partner_index_lists_only_the_users_partners(
    client: Client, cast: Cast, people: dict[str, User]
) -> None:
    client.force_login(people[Role.EDITOR])
    assert client.get(reverse("partners:index"))["Location"] == reverse(
        "partners:dashboard", args=[cast.partner.slug]
    )
    client.force_login(cast.organizer)
    page = client.get(reverse("partners:index")).content.decode()
    assert cast.partner.name in page and "elsewhere" in page.lower()
    client.force_login(cast.outsider)
    assert "not a member" in client.get(reverse("partners:index")).content.decode()


@pytest.mark.parametrize("role", Role.values)
def test_a_role_grants_its_permissions_in_its_own_partner_only(cast: Cast, role: str) -> None:
    user = member(cast.partner, role, username=f"only-{role}")
    elsewhere = make_partner()

    for permission in Permission:
        granted = permission in ROLE_PERMISSIONS[role]
        assert has_permission(user, permission, cast.partner) is granted, permission
        assert has_permission(user, permission, elsewhere) is False, permission
        assert has_permission(user, permission) is granted, permission


def test_organizers_have_every_permission_everywhere(cast: Cast) -> None:
    assert all(has_permission(cast.organizer, p, make_partner()) for p in Permission)


def test_a_member_who_is_not_staff_signs_in_on_the_partners_page(
    client: Client, cast: Cast
) -> None:
    from conftest import PASSWORD

    login = reverse("partners:login")
    page = client.get(login)
    response = client.post(login, {"username": "reporter", "password": PASSWORD})
    wrong = Client().post(login, {"username": "reporter", "password": "nope"})

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:index")
    assert client.get(response["Location"])["Location"] == reverse(
        "partners:dashboard", args=[cast.partner.slug]
    )
    assert wrong.status_code == 200
    assert "did not match" in wrong.content.decode()


@pytest.mark.parametrize("role", EVERYONE[:-2])
def test_the_partner_menu_links_to_event_reports_for_those_who_may_report(
    client: Client, cast: Cast, people: dict[str, User], role: str
) -> None:
    client.force_login(people[role])
    page = client.get(reverse("partners:dashboard", args=[cast.partner.slug]))
    assert page.status_code == 200
    link = reverse("events:partner_events", args=[cast.partner.slug])
    may_report = role == "organizer" or Permission.REPORT_EVENTS in ROLE_PERMISSIONS[role]
    assert (f'href="{link}"' in page.content.decode()) == may_report
