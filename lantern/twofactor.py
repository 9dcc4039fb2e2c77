"""Two-factor sign-in for staff: enrol an authenticator app (TOTP), or turn it off.

The enrolment page draws a QR code for a fresh key (on the server, as SVG by segno: no
third-party QR service sees the key) and carries the key in a signed form field; nothing is
stored until the staff member confirms with a code from the app. From then on every sign-in
asks for a code (lantern.signin).
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

KEY_SALT = "lantern.twofactor.key"
# Long enough to scan the code and type one; the signed key is refused after that.
KEY_MAX_AGE_SECONDS = 30 * 60
DEVICE_NAME = "Authenticator app"


class EnrolmentExpired(Exception):
    pass


def new_device(user: User, key: str | None = None) -> TOTPDevice:
    """An unsaved authenticator for `user`, with a fresh key unless one is given."""
    return TOTPDevice(user=user, name=DEVICE_NAME, key=key or default_key(), confirmed=False)


def signed_key(device: TOTPDevice) -> str:
    return signing.dumps({"u": device.user_id, "k": device.key}, salt=KEY_SALT)


def device_from_signed_key(user: User, value: str) -> TOTPDevice:
    try:
        data = signing.loads(value, salt=KEY_SALT, max_age=KEY_MAX_AGE_SECONDS)
    except signing.BadSignature as exc:
        raise EnrolmentExpired(str(exc)) from exc
    if not isinstance(data, dict) or data.get("u") != user.pk:
        raise EnrolmentExpired("the key is for someone else")
    return new_device(user, str(data["k"]))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of the device as an inline SVG QR code."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2))


def manual_key(device: TOTPDevice) -> str:
    """The key in base32, for typing into an app that cannot scan."""
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def _fits(device: TOTPDevice, token: str) -> bool:
    """Whether a code fits a new (unsaved) device's key, one step either way. (The device's
    own verify_token would save the device to count a failure.)"""
    code = "".join(token.split())
    if not code.isdigit():
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return bool(totp.verify(int(code), tolerance=device.tolerance))


def confirm_device(device: TOTPDevice, token: str) -> bool:
    """Store the new authenticator if the code from the app fits; others of the user go."""
    if not _fits(device, token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).delete()
        device.confirmed = True
        device.save(force_insert=True)
    return True


def turn_off(device: TOTPDevice, token: str) -> bool:
    """Remove a confirmed authenticator, given a current code from it."""
    if not device.confirmed or not device.verify_token("".join(token.split())):
        return False
    device.delete()
    return True
