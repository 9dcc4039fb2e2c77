"""Re-seal every sealed contact value from the old key to a new public key, in batches.

Set CONTACT_PUBLIC_KEY to the new key first (so new values are sealed to it), then run this
with the old private key; run it again if it stops: it skips what is done. Afterwards the old
key opens nothing; destroy it (docs/SECURITY.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import Action, record
from lantern.sealing import BadKey, key_fingerprint, parse_public_key, read_private_key
from privacy.keys import reseal


class Command(BaseCommand):
    help = "Re-seal supporters' contact data from the old private key to a new public key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--old-key", help="the old private key file (default: ask for it)")
        parser.add_argument(
            "--new-public-key",
            help="the new public key, base64 (default: CONTACT_PUBLIC_KEY)",
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            old = read_private_key(options["old_key"])
            new = parse_public_key(options["new_public_key"] or settings.CONTACT_PUBLIC_KEY)
        except (OSError, BadKey) as exc:
            raise CommandError(f"cannot read a key: {exc}") from exc
        if key_fingerprint(old.public_key) == key_fingerprint(new):
            raise CommandError("the new public key is the old key's own: nothing to do")
        if key_fingerprint(new) != key_fingerprint(parse_public_key(settings.CONTACT_PUBLIC_KEY)):
            self.stderr.write(
                "Warning: CONTACT_PUBLIC_KEY is not the new key yet, so new values are still "
                "sealed to the old one; set it and run this command again afterwards."
            )

        def progress(field: str, changed: int) -> None:
            self.stdout.write(f"{field}: {changed} re-sealed")

        result = reseal(old, new, batch_size=options["batch_size"], on_batch=progress)
        record(
            Action.KEY_ROTATED,
            by="manage.py rotate_contact_key",
            records=result.resealed,
            detail=(
                f"{key_fingerprint(old.public_key)} -> {key_fingerprint(new)}, "
                f"{result.other_keys} sealed to other keys left alone"
            ),
        )
        self.stdout.write(
            f"Re-sealed {result.resealed} values to {key_fingerprint(new)}; "
            f"{result.other_keys} sealed to other keys (partners') were left alone."
        )
