"""What Lantern keeps of a supporter's contact data: a keyed hash and a sealed copy.

- `email_dedupe_hash` gives the same value for every spelling of one mailbox (case, spaces,
  dots and +tags that the provider ignores), keyed with `settings.DEDUPE_KEY` so that a copy
  of the database cannot be matched against a list of addresses.
- `seal` encrypts to the contact key's public half (NaCl sealed box); `unseal` needs the
  private half, kept in `settings.CONTACT_KEY_FILE`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from nacl.public import PrivateKey, PublicKey, SealedBox

# Providers that deliver a.b.c@ and abc@ to the same mailbox.
DOTLESS_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
# Providers where a "-tag" (not only "+tag") names the same mailbox.
DASH_TAG_DOMAINS = frozenset({"yahoo.com", "ymail.com", "rocketmail.com"})
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}


def normalize_email(raw: str) -> str:
    """Return the canonical form of an address, or raise ValidationError if it is not one."""
    address = "".join(raw.split())  # spaces anywhere, including inside, are typing slips
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ValidationError("Enter a valid email address.", code="invalid_email") from exc
    local, _, domain = address.rpartition("@")
    domain = domain.lower().rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationError("Enter a valid email address.", code="invalid_email") from exc
    domain = DOMAIN_ALIASES.get(domain, domain)
    local = local.lower().split("+", 1)[0]
    if domain in DASH_TAG_DOMAINS:
        local = local.split("-", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
    if not local:
        raise ValidationError("Enter a valid email address.", code="invalid_email")
    return f"{local}@{domain}"


def email_dedupe_hash(normalized_email: str) -> str:
    key = settings.DEDUPE_KEY.encode("utf-8")
    return hmac.new(key, normalized_email.encode("utf-8"), hashlib.sha256).hexdigest()


def _read_or_create_private_key(path: Path) -> PrivateKey:
    try:
        return PrivateKey(base64.b64decode(path.read_bytes().strip()))
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = PrivateKey.generate()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return PrivateKey(base64.b64decode(path.read_bytes().strip()))
    with os.fdopen(fd, "wb") as handle:
        handle.write(base64.b64encode(bytes(key)) + b"\n")
    return key


@cache
def _private_key(path: Path) -> PrivateKey:
    return _read_or_create_private_key(path)


@cache
def _sealing_box(path: Path) -> SealedBox[PublicKey]:
    return SealedBox(_private_key(path).public_key)


def seal(text: str) -> bytes:
    return bytes(_sealing_box(settings.CONTACT_KEY_FILE).encrypt(text.encode("utf-8")))


def unseal(sealed: bytes | memoryview) -> str:
    box = SealedBox(_private_key(settings.CONTACT_KEY_FILE))
    return bytes(box.decrypt(bytes(sealed))).decode("utf-8")
