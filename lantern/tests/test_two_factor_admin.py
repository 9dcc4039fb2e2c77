"""Staff members' authenticator devices in the admin: listed and deletable, the secret never
shown (devices are made at /account/two-factor/)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(cast: Cast) -> TOTPDevice:
    """Another staff member's phone (the organizer, without one, signs in with a password)."""
    colleague = User.objects.create_user("colleague", "c@example.org", PASSWORD, is_staff=True)
    return TOTPDevice.objects.create(user=colleague, name="Phone", confirmed=True)


def test_an_organizer_sees_the_devices_but_never_their_secret(
    client: Client, cast: Cast, device: TOTPDevice
) -> None:
    client.force_login(cast.organizer)
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    assert listing.status_code == page.status_code == 200
    assert "Phone" in listing.content.decode()
    assert device.key not in page.content.decode()
    assert "otpauth://" not in page.content.decode()


def test_a_lost_phones_device_is_deleted_and_none_is_added_here(
    client: Client, cast: Cast, device: TOTPDevice
) -> None:
    client.force_login(cast.organizer)
    add = client.get(reverse("admin:otp_totp_totpdevice_add"))
    delete = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )

    assert add.status_code == 403
    assert delete.status_code == 302
    assert not TOTPDevice.objects.exists()
