from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from actions.tallies import rebuild_tallies
from campaigns.models import Campaign


class Command(BaseCommand):
    help = "Recompute the live counters of campaigns from the action ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="campaign slugs (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        campaigns = Campaign.objects.all()
        if options["slugs"]:
            campaigns = campaigns.filter(slug__in=options["slugs"])
        for campaign in campaigns:
            total = rebuild_tallies(campaign.pk)
            self.stdout.write(f"{campaign.slug}: {total:,}")
