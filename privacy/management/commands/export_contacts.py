"""Decrypt supporters' contact data with the organization's private key and write a CSV.

Run on an operator's machine that can reach the database, with the private key from a file
or typed at the prompt; the key is never stored. Every run leaves an audit entry.
"""

from __future__ import annotations

import csv
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import Action, record
from lantern.sealing import BadKey, WrongKey, key_fingerprint, read_private_key, unseal
from letters.models import Letter
from petitions.models import Signature

HEADER = ["kind", "campaign", "name", "email", "country", "city", "partner", "at"]


class Command(BaseCommand):
    help = (
        "Write the contact data of supporters who agreed to be contacted (signers) or left an "
        "address (letter authors) as CSV, decrypted with the organization's private key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--key", help="private key file (default: ask for it)")
        parser.add_argument("--campaign", help="only this campaign's supporters (slug)")
        parser.add_argument("--output", help="CSV file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = read_private_key(options["key"])
        except (OSError, BadKey) as exc:
            raise CommandError(f"cannot read the private key: {exc}") from exc
        signatures = Signature.objects.filter(
            consent_contact=True, email_sealed__isnull=False
        ).select_related("campaign", "partner")
        letters = Letter.objects.filter(author_contact_sealed__isnull=False).select_related(
            "campaign", "partner"
        )
        if options["campaign"]:
            signatures = signatures.filter(campaign__slug=options["campaign"])
            letters = letters.filter(campaign__slug=options["campaign"])
        rows: list[list[str]] = []
        unreadable = 0
        for s in signatures.order_by("pk"):
            try:
                email = unseal(s.email_sealed, key)  # type: ignore[arg-type]  # not null here
            except WrongKey:
                unreadable += 1
                continue
            partner = s.partner.slug if s.partner else ""
            at = s.created_at.isoformat()
            rows.append(
                ["signature", s.campaign.slug, s.name, email, s.country, s.city, partner, at]
            )
        for letter in letters.order_by("pk"):
            try:
                email = unseal(letter.author_contact_sealed, key)  # type: ignore[arg-type]
            except WrongKey:
                unreadable += 1
                continue
            rows.append(
                [
                    "letter",
                    letter.campaign.slug,
                    letter.author_name,
                    email,
                    letter.author_country,
                    "",
                    letter.partner.slug if letter.partner else "",
                    letter.created_at.isoformat(),
                ]
            )
        record(
            Action.DATA_DECRYPTED,
            by="manage.py export_contacts",
            records=len(rows),
            detail=(
                f"key {key_fingerprint(key.public_key)}, "
                f"campaign {options['campaign'] or 'all'}, {unreadable} not readable"
            ),
        )
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                _write(handle, rows)
        else:
            _write(self.stdout, rows)  # type: ignore[arg-type]  # OutputWrapper is a text stream
        self.stderr.write(
            f"{len(rows)} contacts written; {unreadable} sealed to another key were left out."
        )


def _write(out: IO[str], rows: list[list[str]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
