"""Derived counters. The ledger (`Action`) is the truth; these shards make reading it cheap.

`add_to_tally` runs inside the transaction that inserts the ledger rows, so a tally never
counts an action that was rolled back. `rebuild_tallies` recomputes every shard from the
ledger; after it, and whenever the system is quiet, the shards equal the ledger exactly.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Sum

from actions.models import Action, Tally

_UPSERT = (
    "INSERT INTO {table} (campaign_id, country, action_type, shard, count, ledger_rows) "
    "VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (campaign_id, country, action_type, shard) "
    "DO UPDATE SET count = {table}.count + excluded.count, "
    "ledger_rows = {table}.ledger_rows + excluded.ledger_rows"
)


def add_to_tally(campaign_id: int, counts: Iterable[tuple[str, str, int]]) -> None:
    """Add (country, action_type, count) triples, one per ledger row written, to one
    randomly chosen shard. Call in the transaction that writes those rows."""
    merged: Counter[tuple[str, str]] = Counter()
    rows: Counter[tuple[str, str]] = Counter()
    for country, action_type, count in counts:
        merged[(country, action_type)] += count
        rows[(country, action_type)] += 1
    if not merged:
        return
    shard = random.randrange(settings.TALLY_SHARDS)  # noqa: S311 - spreading load, not secrecy
    sql = _UPSERT.format(table=connection.ops.quote_name(Tally._meta.db_table))
    params = [
        (campaign_id, country, action_type, shard, count, rows[(country, action_type)])
        for (country, action_type), count in sorted(merged.items())
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def add_sums_to_tally(campaign_id: int, sums: Iterable[tuple[str, str, int, int]]) -> None:
    """Add (country, action_type, count, ledger rows) sums to one randomly chosen shard.
    Call in the transaction that writes those rows."""
    params = sorted(sums)
    if not params:
        return
    shard = random.randrange(settings.TALLY_SHARDS)  # noqa: S311 - spreading load, not secrecy
    sql = _UPSERT.format(table=connection.ops.quote_name(Tally._meta.db_table))
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [(campaign_id, country, t, shard, int(n), int(rows)) for country, t, n, rows in params],
        )


@dataclass(frozen=True)
class Totals:
    total: int
    by_country: list[tuple[str, int]]  # every country, largest first

    @property
    def countries(self) -> int:
        return len(self.by_country)


def read_totals(campaign_id: int) -> Totals:
    """Live totals for a campaign, summed over the tally shards in one query."""
    rows = (
        Tally.objects.filter(campaign_id=campaign_id)
        .values_list("country")
        .annotate(n=Sum("count"))
        .values_list("country", "n")
    )
    by_country = sorted(((c, int(n)) for c, n in rows if n), key=lambda r: (-r[1], r[0]))
    return Totals(total=sum(n for _, n in by_country), by_country=by_country)


def live_totals(campaign_id: int) -> Totals:
    """`read_totals` for the public counters, cached for `COUNTER_CACHE_SECONDS`.

    Every open campaign page polls its counter; with the cache, each server process reads
    the shards at most once per period, and the figures equal the ledger again at most that
    long after the last write. 0 reads the shards on every call.
    """
    seconds = settings.COUNTER_CACHE_SECONDS
    if not seconds:
        return read_totals(campaign_id)
    key = f"lantern:totals:{campaign_id}"
    totals: Totals | None = cache.get(key)
    if totals is None:
        totals = read_totals(campaign_id)
        cache.set(key, totals, seconds)
    return totals


@transaction.atomic
def rebuild_tallies(campaign_id: int) -> int:
    """Recompute the campaign's shards from the ledger; returns the ledger total."""
    Tally.objects.filter(campaign_id=campaign_id).delete()
    sums = (
        Action.objects.filter(campaign_id=campaign_id)
        .values_list("country", "action_type")
        .annotate(n=Sum("count"), rows=Count("pk"))
        .order_by()
    )
    Tally.objects.bulk_create(
        Tally(campaign_id=campaign_id, country=c, action_type=t, shard=0, count=n, ledger_rows=r)
        for c, t, n, r in sums
    )
    return sum(n for _, _, n, _ in sums)
