"""Typed readers for settings from the environment.

Every knob is an environment variable with a safe default for the embedded setup. A bad
value fails loudly at start-up. A secret `X` may also be given as a file path in `X_FILE`.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_from_file(path: Path, *, nbytes: int = 32) -> str:
    """Read a random secret kept in `path`, creating it on first use (embedded setup only)."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    # O_EXCL: when two processes start at once, one writes and the other reads its value.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value


CONTACT_PRIVATE_KEY_NAME = "MOVE-OFF-THIS-SERVER-contact-private.key"


def contact_public_key(raw: str, var_dir: Path) -> str:
    """The organization's public contact key (base64): `raw` if set, else `var/contact.pub`.

    Embedded setup: on first run a key pair is made; the server keeps only the public half
    (`contact.pub`) and the private half is written beside it for the operator to move off
    the machine (one line on stderr says so). A `contact.key` left by an older Lantern (the
    private key, kept on the server) gives its public half the same way.
    """
    from nacl.public import PrivateKey

    from lantern.sealing import BadKey, encode_key, parse_private_key, parse_public_key

    if raw:
        try:
            parse_public_key(raw)
        except BadKey as exc:
            raise ImproperlyConfigured(f"CONTACT_PUBLIC_KEY is not a public key: {exc}") from exc
        return raw.strip()
    public_path = var_dir / "contact.pub"
    try:
        return public_path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    var_dir.mkdir(parents=True, exist_ok=True)
    legacy = var_dir / "contact.key"
    if legacy.exists():
        private = parse_private_key(legacy.read_text(encoding="ascii"))
        private_path = legacy
    else:
        private = PrivateKey.generate()
        private_path = var_dir / CONTACT_PRIVATE_KEY_NAME
    try:  # O_EXCL: when two processes start at once, one writes and the other reads
        fd = os.open(public_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return public_path.read_text(encoding="ascii").strip()
    if private_path != legacy:
        key_fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(key_fd, "w", encoding="ascii") as handle:
            handle.write(encode_key(private) + "\n")
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(encode_key(private.public_key) + "\n")
    sys.stderr.write(
        f"Lantern: the private contact key is in {private_path}: move it off this machine "
        "(exports and key rotation ask for it); the server keeps only contact.pub.\n"
    )
    return encode_key(private.public_key)
