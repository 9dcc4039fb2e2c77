"""Signing in on the partners' page and the admin: throttled before the password is checked,
and a code from the authenticator for staff who enrolled one."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, Cast
from lantern.conf import parse_rates

pytestmark = pytest.mark.django_db

PAGES = ["partners:login", "admin:login"]


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrolled(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password check Django makes (the costly step a flood must not reach)."""
    calls: list[str] = []
    verify = MD5PasswordHasher.verify

    def counting(self: MD5PasswordHasher, password: str, encoded: str) -> bool:
        calls.append(password)
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counting)
    return calls


def sign_in(client: Client, page: str, username: str, password: str, token: str = "") -> Any:
    data = {"username": username, "password": password, "otp_token": token, "next": "/admin/"}
    return client.post(reverse(page), data)


@pytest.mark.parametrize("page", PAGES)
def test_too_many_attempts_from_one_address_get_429_before_any_password_is_checked(
    client: Client, cast: Cast, settings: Any, hashed: list[str], page: str
) -> None:
    settings.LOGIN_RATE_CLIENT = parse_rates("3/hour")
    for n in range(3):
        assert sign_in(client, page, "organizer", f"guess {n}").status_code == 200
    checked = len(hashed)
    response = sign_in(client, page, "organizer", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts to sign in" in response.content.decode()
    assert len(hashed) == checked, "no password was checked"


@pytest.mark.parametrize("page", PAGES)
def test_failed_attempts_for_one_account_from_many_addresses_are_throttled(
    client: Client, cast: Cast, settings: Any, page: str
) -> None:
    settings.LOGIN_RATE_ACCOUNT = parse_rates("2/hour")
    for n in range(2):
        client.post(
            reverse(page),
            {"username": "Organizer", "password": "wrong"},
            REMOTE_ADDR=f"203.0.113.{n}",
        )
    blocked = client.post(
        reverse(page), {"username": "organizer", "password": PASSWORD}, REMOTE_ADDR="198.51.100.1"
    )
    assert blocked.status_code == 429
    other = sign_in(client, page, "reporter", PASSWORD)
    assert other.status_code in (200, 302), "other accounts sign in as before"


def test_successful_sign_ins_do_not_count_against_the_account(
    client: Client, cast: Cast, settings: Any
) -> None:
    settings.LOGIN_RATE_ACCOUNT = parse_rates("1/hour")
    for _ in range(3):
        assert sign_in(Client(), "partners:login", "reporter", PASSWORD).status_code == 302


@pytest.mark.parametrize("page", PAGES)
def test_staff_with_an_authenticator_must_give_its_code(
    client: Client, cast: Cast, page: str
) -> None:
    device = enrolled(cast.organizer)
    without = sign_in(client, page, "organizer", PASSWORD)
    assert without.status_code == 200
    assert "Enter the code from your authenticator app." in without.content.decode()
    wrong = sign_in(client, page, "organizer", PASSWORD, token="000000")
    assert "That code is wrong or too old" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1, "django-otp also slows down wrong codes"
    device.throttle_reset()  # instead of waiting out its delay
    right = sign_in(client, page, "organizer", PASSWORD, token=code(device))
    assert right.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_an_authenticator_sign_in_with_the_password(
    client: Client, cast: Cast
) -> None:
    assert sign_in(client, "admin:login", "organizer", PASSWORD).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_session_not_verified_by_the_code_does_not_open_the_admin(
    client: Client, cast: Cast
) -> None:
    """Signed in with the password alone (say, before enrolling elsewhere): no admin."""
    client.force_login(cast.organizer)
    enrolled(cast.organizer)
    assert client.get(reverse("admin:index")).status_code == 302
