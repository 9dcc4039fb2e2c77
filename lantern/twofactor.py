"""Two-factor sign-in for staff: enrol an authenticator app (TOTP), or turn it off.

A staff member starts enrolment (an unconfirmed device with a fresh key), scans the QR code
(drawn on the server as SVG by segno: no third-party QR service sees the key), and confirms
with a code; from then on every sign-in asks for a code (lantern.signin).
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

ISSUER = "Lantern"


def pending_device(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, made with a fresh key if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of the device as an inline SVG QR code."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2))


def manual_key(device: TOTPDevice) -> str:
    """The key in base32, for typing into an app that cannot scan."""
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def confirm_device(device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with a code from the app; other devices of the user go."""
    if device.confirmed or not device.verify_token("".join(token.split())):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def turn_off(device: TOTPDevice, token: str) -> bool:
    """Remove a confirmed authenticator, given a current code from it."""
    if not device.confirmed or not device.verify_token("".join(token.split())):
        return False
    device.delete()
    return True
