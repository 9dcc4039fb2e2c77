"""Purge supporters' personal data now (what the scheduled task does), e.g. from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from privacy.services import purge_personal_data


class Command(BaseCommand):
    help = (
        "Anonymize the supporters of campaigns closed RETENTION_DAYS ago and delete expired "
        "addresses and privacy requests. Totals do not change."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = purge_personal_data()
        self.stdout.write(
            f"Purged {result.anonymized.signatures} signatures and "
            f"{result.anonymized.letters} letters in {len(result.campaigns)} campaigns; "
            f"deleted {result.addresses} kept addresses and {result.requests} old requests."
        )
