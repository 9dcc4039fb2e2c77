#!/usr/bin/env python3
"""Sealed values, and the tool a partner runs on its own machine to read them.

This file needs only Python 3.10+ and PyNaCl (`pip install pynacl`), not Lantern: the partner
area offers it for download. Lantern seals each supporter's address to a public key; only the
private half opens it, and that half never goes to Lantern's server.

    python3 sealing.py keygen our-lantern.key        # prints the public key to give Lantern
    python3 sealing.py unseal --key our-lantern.key supporters.csv > supporters-clear.csv

`unseal` reads a CSV export with an `email_sealed` column and writes it with an `email`
column in its place; without --key it asks for the private key (not echoed).

A sealed value is MAGIC, the fingerprint of the key it was sealed to (8 bytes), then a NaCl
sealed box; a value without MAGIC is a bare sealed box from before fingerprints existed.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import csv
import getpass
import hashlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

MAGIC = b"LNS1"
FINGERPRINT_BYTES = 8


class BadKey(ValueError):
    """Not a NaCl key in base64 (32 bytes)."""


class WrongKey(ValueError):
    """The value was sealed to another key, or is damaged."""


def _key_bytes(text: str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadKey("not base64") from exc
    if len(raw) != size:
        raise BadKey(f"a {what} key has {size} bytes, not {len(raw)}")
    return raw


def parse_public_key(text: str) -> PublicKey:
    return PublicKey(_key_bytes(text, PublicKey.SIZE, "public"))


def parse_private_key(text: str) -> PrivateKey:
    return PrivateKey(_key_bytes(text, PrivateKey.SIZE, "private"))


def encode_key(key: PublicKey | PrivateKey) -> str:
    return base64.b64encode(bytes(key)).decode("ascii")


def key_fingerprint(key: PublicKey) -> str:
    """A short name for a public key, recorded in every value sealed to it (16 hex digits)."""
    return hashlib.sha256(bytes(key)).hexdigest()[: FINGERPRINT_BYTES * 2]


def seal_to(key: PublicKey, text: str) -> bytes:
    fingerprint = bytes.fromhex(key_fingerprint(key))
    return MAGIC + fingerprint + bytes(SealedBox(key).encrypt(text.encode("utf-8")))


def sealed_fingerprint(sealed: bytes | memoryview) -> str | None:
    """The fingerprint of the key a value was sealed to; None for a value from before."""
    data = bytes(sealed)
    if data.startswith(MAGIC) and len(data) > len(MAGIC) + FINGERPRINT_BYTES:
        return data[len(MAGIC) : len(MAGIC) + FINGERPRINT_BYTES].hex()
    return None


def unseal(sealed: bytes | memoryview, private_key: PrivateKey) -> str:
    """Open a sealed value with the private key it was sealed to."""
    data = bytes(sealed)
    fingerprint = sealed_fingerprint(data)
    if fingerprint is not None:
        if fingerprint != key_fingerprint(private_key.public_key):
            raise WrongKey(f"sealed to key {fingerprint}")
        data = data[len(MAGIC) + FINGERPRINT_BYTES :]
    try:
        return bytes(SealedBox(private_key).decrypt(data)).decode("utf-8")
    except CryptoError as exc:
        raise WrongKey("this key does not open the value") from exc


def read_private_key(path: str | None) -> PrivateKey:
    """From a file, or typed at a prompt (not echoed) when no file is given."""
    if path:
        return parse_private_key(Path(path).read_text(encoding="ascii"))
    return parse_private_key(getpass.getpass("Private key (base64): "))


def write_private_key(path: Path, key: PrivateKey) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(encode_key(key) + "\n")


def unseal_rows(rows: Iterable[dict[str, str]], key: PrivateKey) -> Iterable[dict[str, str]]:
    for row in rows:
        sealed = row.pop("email_sealed", "")
        row.pop("sealed_to", None)
        row["email"] = unseal(base64.b64decode(sealed), key) if sealed else ""
        yield row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    keygen = commands.add_parser("keygen", help="make a key pair; print the public key")
    keygen.add_argument("private_key_file")
    opener = commands.add_parser("unseal", help="open the email_sealed column of a CSV export")
    opener.add_argument("csv_file")
    opener.add_argument("--key", help="the private key file (default: ask)")
    args = parser.parse_args(argv)
    if args.command == "keygen":
        key = PrivateKey.generate()
        write_private_key(Path(args.private_key_file), key)
        print(encode_key(key.public_key))
        return 0
    key = read_private_key(args.key)
    with open(args.csv_file, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = [f for f in reader.fieldnames or [] if f not in ("email_sealed", "sealed_to")]
        writer = csv.DictWriter(sys.stdout, [*fields, "email"], lineterminator="\n")
        writer.writeheader()
        for row in unseal_rows(reader, key):
            writer.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
