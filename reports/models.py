"""The report's roll-up: each country's figures, derived from the ledger and checked against it.

`reports.rollup` keeps one `CountryRollup` per campaign and country. It holds what the
results need from that country's ledger rows (totals by type, partner, case and UTC day, the
busiest 24 hours, when the newest row was recorded) and how many ledger rows it summed. The
tallies count the ledger rows in the same transaction that writes them, so a roll-up whose
row count equals the tallies' is the ledger exactly (rows are only ever added); any other is
computed again from the ledger before it is used. Nothing here is ever edited by hand.
"""

from __future__ import annotations

from django.db import models

from campaigns.models import Campaign


class CountryRollup(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rollups")
    country = models.CharField(max_length=2)
    ledger_rows = models.BigIntegerField(help_text="Ledger rows summed into this roll-up.")
    total = models.BigIntegerField()
    # {action type: count}, {partner id or "": count}, {case id or "": count},
    # {"2012-12-10": count} (every UTC day with a ledger row, even if its sum is 0).
    by_type = models.JSONField(default=dict)
    by_partner = models.JSONField(default=dict)
    by_case = models.JSONField(default=dict)
    by_day = models.JSONField(default=dict)
    busiest_count = models.BigIntegerField()
    busiest_start = models.DateTimeField()
    last_recorded = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "country"], name="rollup_country_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.country}: {self.total} ({self.ledger_rows} rows)"
