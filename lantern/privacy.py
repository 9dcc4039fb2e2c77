"""What Lantern keeps of a supporter's contact data: a keyed hash and a sealed copy.

- `email_dedupe_hash` gives the same value for every spelling of one mailbox (case, spaces,
  dots and +tags that the provider ignores), keyed with `settings.DEDUPE_KEY` so that a copy
  of the database cannot be matched against a list of addresses.
- `seal` encrypts to a public key (NaCl sealed box): the organization's
  (`settings.CONTACT_PUBLIC_KEY`) or a partner's. The server holds public keys only, so it
  can seal but never read; each sealed value starts with the fingerprint of the key that
  sealed it. `unseal` takes a private key object: only the offline commands
  (`manage.py export_contacts`, `rotate_contact_key`) and partners' own script make one,
  from a file or a prompt, never from the server's settings.
- `server_seal` / `server_unseal` use the server's own secret key (`settings.SERVER_SEAL_KEY`)
  for what the server itself must read: webhook signing secrets, and the short-lived copy of
  an address kept only until an email to it is sent (`privacy.services`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from nacl.public import PublicKey
from nacl.secret import SecretBox

from lantern.sealing import key_fingerprint, parse_public_key, seal_to

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


# --- Public keys: sealing (the format and the offline tool are in lantern/sealing.py) ------


@cache
def _key(public_key_b64: str) -> PublicKey:
    return parse_public_key(public_key_b64)


def organization_fingerprint() -> str:
    return key_fingerprint(_key(settings.CONTACT_PUBLIC_KEY))


def seal(text: str, public_key: str | None = None) -> bytes:
    """Seal to `public_key` (base64), by default the organization's contact key."""
    return seal_to(_key(public_key or settings.CONTACT_PUBLIC_KEY), text)


def sealed_for_transport(sealed: bytes | memoryview | None) -> str:
    """A sealed value as text (base64, fingerprint included) for exports and the API."""
    return base64.b64encode(bytes(sealed)).decode("ascii") if sealed else ""


# --- The server's own key: what the server must read itself ------------------------------


@cache
def _server_box(secret: str) -> SecretBox:
    return SecretBox(hashlib.sha256(b"lantern.server-seal:" + secret.encode("utf-8")).digest())


def server_seal(text: str) -> bytes:
    return bytes(_server_box(settings.SERVER_SEAL_KEY).encrypt(text.encode("utf-8")))


def server_unseal(sealed: bytes | memoryview) -> str:
    return bytes(_server_box(settings.SERVER_SEAL_KEY).decrypt(bytes(sealed))).decode("utf-8")
