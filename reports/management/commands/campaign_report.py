from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.models import Campaign
from lantern.countries import country_name
from reports.services import campaign_report


class Command(BaseCommand):
    help = "Print a campaign's results, computed from the action ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            campaign = Campaign.objects.get(slug=options["slug"])
        except Campaign.DoesNotExist:
            raise CommandError(f"No campaign with slug {options['slug']!r}.") from None
        report = campaign_report(campaign)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{campaign.title}: {report.total:,} actions in {report.countries} countries"
        )
        for code, n in report.by_country.items():
            window = report.busiest_24h[code]
            self.stdout.write(
                f"  {country_name(code):<32} {n:>10,}   busiest 24h: {window.count:,} "
                f"from {window.start:%Y-%m-%d %H:%M} UTC"
            )
        for title, table in (
            ("By type", report.by_type),
            ("By partner", report.by_partner),
            ("By case", report.by_case),
        ):
            self.stdout.write(title)
            for key, n in table.items():
                self.stdout.write(f"  {key:<32} {n:>10,}")
