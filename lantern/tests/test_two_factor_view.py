"""Enrolling an authenticator at /account/two-factor/: a QR code drawn on the server, a code
to confirm; from then on signing in asks for a code; turning it off needs a code too."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, Cast
from lantern.twofactor import device_from_signed_key

pytestmark = pytest.mark.django_db
URL = "/account/two-factor/"


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_staff_enrol_with_a_qr_code_from_the_server_and_then_need_a_code(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.organizer)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    assert re.search(r'<figure class="qr"[^>]*><svg [^>]*class="segno"', html), "an inline QR"
    assert "http" not in html.split('<figure class="qr"')[1].split("</figure>")[0].replace(
        "http://www.w3.org", ""
    ), "no third-party QR service"
    assert not TOTPDevice.objects.exists(), "a GET stores nothing"
    assert re.search(r"<code data-secret>[A-Z2-7]{32}</code>", html)
    signed = re.search(r'name="key" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    device = device_from_signed_key(cast.organizer, signed)

    wrong = client.post(URL, {"token": "000000", "key": signed})
    assert wrong.status_code == 400
    again = re.search(r'name="key" value="([^"]+)"', wrong.content.decode())
    assert again and device_from_signed_key(cast.organizer, again.group(1)).key == device.key
    assert client.post(URL, {"token": code(device), "key": signed}).status_code == 302
    device = TOTPDevice.objects.get(user=cast.organizer)
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200, "this session is verified"

    fresh = Client()
    answer = fresh.post(reverse("admin:login"), {"username": "organizer", "password": PASSWORD})
    assert "Enter the code from your authenticator app." in answer.content.decode()


def test_turning_it_off_needs_a_current_code(client: Client, cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.organizer, name="phone", confirmed=True)
    client.force_login(cast.organizer)
    assert "Two-factor sign-in is on" in client.get(URL).content.decode()
    assert client.post(URL, {"token": "000000"}).status_code == 400
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down after a wrong code; skip its delay
    assert client.post(URL, {"token": code(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.organizer).exists()


def test_a_key_signed_for_someone_else_is_not_enrolled(client: Client, cast: Cast) -> None:
    from lantern.twofactor import new_device, signed_key

    other = new_device(cast.reporter)
    client.force_login(cast.organizer)
    client.post(URL, {"token": code(other), "key": signed_key(other)})
    assert not TOTPDevice.objects.exists()


def test_only_staff_may_enrol(client: Client, cast: Cast) -> None:
    client.force_login(cast.reporter)
    assert client.get(URL).status_code == 403
    assert Client().get(URL).status_code == 302
    client.force_login(cast.organizer)
    assert client.put(URL).status_code == 405
