from __future__ import annotations

from django.conf import settings
from django.db import models

from actions.types import ActionType, Channel, Source
from campaigns.models import Campaign
from cases.models import Case
from lantern.countries import country_choices
from partners.models import Partner


class ImportBatch(models.Model):
    """One CSV file imported into the ledger: the provenance of its rows."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="imports")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="imports")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows_in_file = models.PositiveIntegerField()
    rows_added = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows_added} new of {self.rows_in_file})"


class Action(models.Model):
    """One line of the append-only ledger. Every total in Lantern is a sum over these rows.

    Rows are only ever inserted (by `actions.services.record_actions` and the petition
    services); nothing updates or deletes them. A count reported too high is lowered by a
    later correction row with a negative count, never by editing the row.
    """

    # No index of its own: action_country_time begins with it (docs/PERFORMANCE.md).
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="actions", db_index=False
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    action_type = models.CharField(max_length=12, choices=ActionType.choices)
    count = models.IntegerField(
        default=1, help_text="Positive, except on a correction row that lowers an earlier report."
    )
    country = models.CharField(max_length=2, choices=country_choices())
    city = models.CharField(max_length=100, blank=True)
    occurred_at = models.DateTimeField()
    utc_offset_minutes = models.SmallIntegerField(
        default=0, help_text="The local offset the time was given in."
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # No index of its own: the unique (partner, external_id) begins with it.
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        db_index=False,
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    # Indexed only where set (action_recorded_by): a user's deletion finds their rows.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False
    )
    external_id = models.CharField(max_length=200, null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Not partial, so that it also serves every "the partner's rows" query; rows
            # without an external_id never clash (NULLs are distinct), as before.
            models.UniqueConstraint(
                fields=["partner", "external_id"], name="action_external_id_unique_per_partner"
            ),
            # Rows add actions; only a correction (source "correction") may take some away.
            models.CheckConstraint(
                condition=models.Q(count__gt=0) | models.Q(count__lt=0, source="correction"),
                name="action_count_positive_unless_correction",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "country", "occurred_at"], name="action_country_time"),
            models.Index(
                fields=["recorded_by"],
                condition=models.Q(recorded_by__isnull=False),
                name="action_recorded_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.action_type} in {self.country}"


class Tally(models.Model):
    """A derived counter shard: the sum of counted actions per campaign, country and type.

    Writers add to one of `settings.TALLY_SHARDS` rows chosen at random, so concurrent
    signers rarely wait on the same row. Readers sum the shards. `rebuild_tallies` recomputes
    every shard from the ledger.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    country = models.CharField(max_length=2)
    action_type = models.CharField(max_length=12, choices=ActionType.choices)
    shard = models.PositiveSmallIntegerField()
    count = models.BigIntegerField(default=0)
    # Ledger rows summed into `count`: how the report's roll-up knows it is up to date.
    ledger_rows = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "country", "action_type", "shard"], name="tally_shard_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.country}/{self.action_type}#{self.shard}: {self.count}"
