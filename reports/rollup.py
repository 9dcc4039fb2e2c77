"""The report's roll-up (`CountryRollup`): built from the ledger, checked against the tallies.

A country's roll-up is fresh when the ledger rows it summed are as many as the tallies count
for that country. The tallies are written in the transaction that writes the ledger rows, and
ledger rows are never updated or deleted, so equal counts mean the same rows: the roll-up is
then exactly what the ledger says. `fresh_rollups` returns every country's roll-up, computing
again from the ledger (in one query for all of them) those that are not fresh, and storing them
for the next report. After `rebuild_rollup`, or any report, a quiet system needs no ledger read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum

from actions.models import Action, Tally
from campaigns.models import Campaign
from reports.models import CountryRollup
from reports.windows import busiest_window

FIELDS = (
    "country",
    "occurred_at",
    "count",
    "action_type",
    "partner_id",
    "case_id",
    "created_at",
)


@dataclass
class Summed:
    """One country's figures, summed from its ledger rows in time order."""

    country: str
    ledger_rows: int = 0
    total: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_partner: dict[str, int] = field(default_factory=dict)
    by_case: dict[str, int] = field(default_factory=dict)
    by_day: dict[str, int] = field(default_factory=dict)
    last_recorded: datetime | None = None


def _add(counts: dict[str, int], key: str, n: int) -> None:
    counts[key] = counts.get(key, 0) + n


def summarize(country: str, rows: Iterable[tuple[Any, ...]], campaign_id: int) -> CountryRollup:
    """A country's roll-up from its ledger rows (FIELDS, sorted by occurred_at)."""
    summed = Summed(country)

    def points() -> Iterator[tuple[datetime, int]]:
        # Rows at the same instant are one point (a correction there cancels at once).
        for at, same in groupby(rows, key=itemgetter(1)):
            point = 0
            for _, _, n, action_type, partner_id, case_id, created_at in same:
                point += n
                summed.ledger_rows += 1
                _add(summed.by_type, action_type, n)
                _add(summed.by_partner, "" if partner_id is None else str(partner_id), n)
                _add(summed.by_case, "" if case_id is None else str(case_id), n)
                if summed.last_recorded is None or created_at > summed.last_recorded:
                    summed.last_recorded = created_at
            summed.total += point
            _add(summed.by_day, at.astimezone(UTC).date().isoformat(), point)
            yield at, point

    busiest = busiest_window(points())
    return CountryRollup(
        campaign_id=campaign_id,
        country=country,
        ledger_rows=summed.ledger_rows,
        total=summed.total,
        by_type=summed.by_type,
        by_partner=summed.by_partner,
        by_case=summed.by_case,
        by_day=summed.by_day,
        busiest_count=busiest.count,
        busiest_start=busiest.start,
        last_recorded=summed.last_recorded or busiest.start,
    )


def _ledger_rows(campaign_id: int, countries: list[str] | None) -> Iterator[tuple[Any, ...]]:
    """The ledger rows (FIELDS) of some countries (None: all), by country then time."""
    if connection.vendor == "sqlite":
        yield from _sqlite_ledger_rows(campaign_id, countries)
        return
    rows = Action.objects.filter(campaign_id=campaign_id)
    if countries is not None:
        rows = rows.filter(country__in=countries)
    yield from (
        rows.order_by("country", "occurred_at").values_list(*FIELDS).iterator(chunk_size=20_000)
    )


def _sqlite_ledger_rows(campaign_id: int, countries: list[str] | None) -> Iterator[tuple[Any, ...]]:
    """The same rows on SQLite, times read as text and parsed by `datetime.fromisoformat`
    (in C): Django's converters would be most of the time on ten million rows."""
    table = connection.ops.quote_name(Action._meta.db_table)
    select = (
        "SELECT country, CAST(occurred_at AS TEXT), count, action_type, partner_id, case_id, "
        "CAST(created_at AS TEXT) FROM "
    )
    sql = select + table + " WHERE campaign_id = %s {countries} ORDER BY country, occurred_at"
    groups: list[list[str] | None] = (
        [None]
        if countries is None
        else [countries[i : i + 500] for i in range(0, len(countries), 500)]
    )
    parse = datetime.fromisoformat
    with connection.cursor() as cursor:
        for group in groups:
            if group is None:
                cursor.execute(sql.format(countries=""), [campaign_id])
            else:
                marks = ", ".join(["%s"] * len(group))
                cursor.execute(
                    sql.format(countries=f"AND country IN ({marks})"), [campaign_id, *group]
                )
            while batch := cursor.fetchmany(20_000):
                for country, at, n, action_type, partner_id, case_id, created in batch:
                    yield (
                        country,
                        parse(at).replace(tzinfo=UTC),
                        n,
                        action_type,
                        partner_id,
                        case_id,
                        parse(created).replace(tzinfo=UTC),
                    )


def _compute(campaign_id: int, countries: list[str] | None) -> list[CountryRollup]:
    return [
        summarize(country, rows, campaign_id)
        for country, rows in groupby(_ledger_rows(campaign_id, countries), key=itemgetter(0))
    ]


def _store(campaign_id: int, rollups: list[CountryRollup], gone: Iterable[str]) -> None:
    """Upsert the roll-ups (a concurrent report may store the same country at once)."""
    with transaction.atomic():
        gone = list(gone)
        if gone:
            CountryRollup.objects.filter(campaign_id=campaign_id, country__in=gone).delete()
        if rollups:
            CountryRollup.objects.bulk_create(
                rollups,
                update_conflicts=True,
                unique_fields=["campaign", "country"],
                update_fields=[
                    "ledger_rows",
                    "total",
                    "by_type",
                    "by_partner",
                    "by_case",
                    "by_day",
                    "busiest_count",
                    "busiest_start",
                    "last_recorded",
                ],
            )


def tallied_rows(campaign_id: int) -> dict[str, int]:
    """Ledger rows per country, as the tallies count them (written with the rows)."""
    rows = (
        Tally.objects.filter(campaign_id=campaign_id)
        .values("country")
        .annotate(n=Sum("ledger_rows"))
        .values_list("country", "n")
        .order_by()
    )
    return {country: int(n) for country, n in rows if n}


def fresh_rollups(campaign: Campaign) -> list[CountryRollup]:
    """Every country's roll-up, equal to the ledger: stored ones that are fresh, the others
    computed again from the ledger now (and stored)."""
    expected = tallied_rows(campaign.pk)
    stored = {r.country: r for r in CountryRollup.objects.filter(campaign_id=campaign.pk)}
    stale = sorted(c for c, n in expected.items() if c not in stored or stored[c].ledger_rows != n)
    gone = [c for c in stored if c not in expected]
    if stale or gone:
        computed = _compute(campaign.pk, stale) if stale else []
        _store(campaign.pk, computed, gone)
        for country in gone:
            del stored[country]
        stored.update((r.country, r) for r in computed)
    return [stored[c] for c in sorted(stored)]


def rebuild_rollup(campaign: Campaign) -> int:
    """Compute every country's roll-up from the ledger (one pass); returns the ledger rows."""
    computed = _compute(campaign.pk, None)
    stored = set(
        CountryRollup.objects.filter(campaign_id=campaign.pk).values_list("country", flat=True)
    )
    _store(campaign.pk, computed, stored - {r.country for r in computed})
    return sum(r.ledger_rows for r in computed)
