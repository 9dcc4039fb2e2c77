"""Campaign results: every figure a function of the ledger.

`campaign_report` reads each country's roll-up (`reports.rollup`), which equals the ledger
exactly (it is computed again from the ledger whenever the tallies show rows it has not
summed); `report_from_ledger` computes the same report from the raw ledger rows, and is what
the tests and the benchmark compare it with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Max, Sum

from actions.models import Action
from campaigns.models import Campaign
from cases.models import Case
from partners.models import Partner
from reports.rollup import fresh_rollups
from reports.windows import WINDOW, BusiestWindow, busiest_window

__all__ = ["WINDOW", "BusiestWindow", "CampaignReport", "busiest_window", "campaign_report"]

NONE_KEY = "(none)"  # not a valid slug, so it never collides with a partner or case
# The cases whose safety profile keeps their names out of public pages, counted together.
UNNAMED_KEY = "(not named)"


@dataclass(frozen=True)
class CampaignReport:
    campaign: str
    total: int
    by_country: dict[str, int]
    by_type: dict[str, int]
    by_partner: dict[str, int]
    by_case: dict[str, int]
    busiest_24h: dict[str, BusiestWindow]
    # Actions per UTC day ("2012-12-10"), in date order; days without actions are absent.
    timeline: dict[str, int] = field(default_factory=dict)
    partner_names: dict[str, str] = field(default_factory=dict)
    case_names: dict[str, str] = field(default_factory=dict)
    # Each named case's status (released, in transit ...), for the results page.
    case_statuses: dict[str, str] = field(default_factory=dict)
    # When the newest ledger row was recorded: the results were last revised then.
    last_revised: datetime | None = None

    @property
    def countries(self) -> int:
        return len(self.by_country)

    @property
    def peak_day(self) -> tuple[str, int] | None:
        """The day with the most actions (the earliest of equals), or None with no actions."""
        if not self.timeline:
            return None
        return max(sorted(self.timeline.items()), key=itemgetter(1))  # max keeps the first

    def as_json(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign,
            "total": self.total,
            "countries": self.countries,
            "by_country": self.by_country,
            "by_type": self.by_type,
            "by_partner": self.by_partner,
            "by_case": self.by_case,
            "busiest_24h": {
                code: {"count": window.count, "start": window.start.isoformat()}
                for code, window in self.busiest_24h.items()
            },
            "timeline": self.timeline,
            "peak_day": dict(zip(("day", "count"), self.peak_day, strict=True))
            if self.peak_day
            else None,
            "partner_names": self.partner_names,
            "case_names": self.case_names,
            "last_revised": self.last_revised.isoformat() if self.last_revised else None,
        }


def _ranked(rows: Iterable[tuple[str | None, int]]) -> dict[str, int]:
    pairs = [(key or NONE_KEY, int(n)) for key, n in rows if n]
    return dict(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))


def _merged(rollups: Iterable[dict[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for counts in rollups:
        for key, n in counts.items():
            merged[key] = merged.get(key, 0) + n
    return merged


def _by_slug(counts: dict[str, int], model: type[Partner]) -> tuple[dict[str, int], dict[str, str]]:
    """Counts keyed by id ("" for none) as counts by slug, and the slugs' names (one query,
    none when every count is for no partner or case)."""
    ids = [int(k) for k in counts if k]
    names: dict[int, tuple[str, str]] = {}
    if ids:
        rows = model.objects.filter(pk__in=ids).values_list("pk", "slug", "name")
        names = {pk: (slug, name) for pk, slug, name in rows}
    by_slug = ((names[int(key)][0] if key else None, n) for key, n in counts.items())
    return _ranked(by_slug), {names[int(k)][0]: names[int(k)][1] for k in counts if k}


def _cases(
    counts: dict[str, int],
) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """Counts keyed by case id ("" for none) as counts by slug (cases not to be named in
    public together under UNNAMED_KEY), with the named cases' names and statuses."""
    ids = [int(k) for k in counts if k]
    info: dict[int, tuple[str, str, bool, str]] = {}
    if ids:
        rows = Case.objects.filter(pk__in=ids).values_list(
            "pk", "slug", "name", "may_be_published", "status"
        )
        info = {pk: (slug, name, published, status) for pk, slug, name, published, status in rows}
    by_key: dict[str, int] = {}
    names: dict[str, str] = {}
    statuses: dict[str, str] = {}
    for key, n in counts.items():
        if not key:
            label = NONE_KEY
        else:
            slug, name, published, status = info[int(key)]
            label = slug if published else UNNAMED_KEY
            if published:
                names[slug], statuses[slug] = name, status
        by_key[label] = by_key.get(label, 0) + n
    return _ranked(by_key.items()), names, statuses


def campaign_report(campaign: Campaign) -> CampaignReport:
    """The campaign's results from its countries' roll-ups: four queries when they are fresh
    (as after any earlier report on a quiet system), a few more when some must be computed
    again from the ledger; never one per country or row. Cases that may not be named in
    public are counted together, under `UNNAMED_KEY`."""
    rollups = fresh_rollups(campaign)
    by_partner, partner_labels = _by_slug(_merged(r.by_partner for r in rollups), Partner)
    by_case, case_labels, case_statuses = _cases(_merged(r.by_case for r in rollups))
    by_country = _ranked((r.country, r.total) for r in rollups)
    busiest = {r.country: BusiestWindow(r.busiest_count, r.busiest_start) for r in rollups}
    return CampaignReport(
        campaign=campaign.slug,
        total=sum(by_country.values()),
        by_country=by_country,
        by_type=_ranked(_merged(r.by_type for r in rollups).items()),
        by_partner=by_partner,
        by_case=by_case,
        busiest_24h={code: busiest[code] for code in by_country},
        timeline=dict(sorted(_merged(r.by_day for r in rollups).items())),
        partner_names=partner_labels,
        case_names=case_labels,
        case_statuses=case_statuses,
        last_revised=max((r.last_recorded for r in rollups), default=None),
    )


def report_from_ledger(campaign: Campaign) -> CampaignReport:
    """The same report computed from the raw ledger rows (five queries, one pass over the
    ledger in time order): the reference `campaign_report` is checked against. Cases that may
    not be named in public are counted together, under `UNNAMED_KEY`."""
    actions = Action.objects.filter(campaign=campaign).order_by()

    def summed(*fields: str) -> list[tuple[Any, ...]]:
        return list(actions.values(*fields).annotate(n=Sum("count")).values_list(*fields, "n"))

    def named(rows: list[tuple[Any, ...]]) -> tuple[dict[str, int], dict[str, str]]:
        return _ranked((slug, n) for slug, _, n in rows), {
            slug: name for slug, name, _ in rows if slug
        }

    by_country = _ranked(summed("country"))
    by_partner, partner_names = named(summed("partner__slug", "partner__name"))
    cases: dict[str, int] = {}
    case_names: dict[str, str] = {}
    case_statuses: dict[str, str] = {}
    for slug, name, published, status, n in summed(
        "case__slug", "case__name", "case__may_be_published", "case__status"
    ):
        key = UNNAMED_KEY if slug and not published else slug or NONE_KEY
        cases[key] = cases.get(key, 0) + n
        if key == slug:
            case_names[slug], case_statuses[slug] = name, status
    by_case = _ranked(cases.items())
    points = (
        actions.values("country", "occurred_at")
        .annotate(n=Sum("count"), recorded=Max("created_at"))
        .values_list("country", "occurred_at", "n", "recorded")
        .order_by("country", "occurred_at")
    )
    days: dict[str, int] = {}
    last_revised: datetime | None = None

    def counted(
        rows: Iterable[tuple[str, datetime, int, datetime]],
    ) -> Iterable[tuple[datetime, int]]:
        # One pass over the ledger's points feeds the busiest windows, the days and the revision.
        nonlocal last_revised
        for _, at, n, recorded in rows:
            day = at.astimezone(UTC).date().isoformat()
            days[day] = days.get(day, 0) + n
            if last_revised is None or recorded > last_revised:
                last_revised = recorded
            yield at, n

    busiest = {
        code: busiest_window(counted(rows))
        for code, rows in groupby(points.iterator(chunk_size=10_000), key=itemgetter(0))
    }
    return CampaignReport(
        campaign=campaign.slug,
        total=sum(by_country.values()),
        by_country=by_country,
        by_type=_ranked(summed("action_type")),
        by_partner=by_partner,
        by_case=by_case,
        busiest_24h={code: busiest[code] for code in by_country},
        timeline=dict(sorted(days.items())),
        partner_names=partner_names,
        case_names=case_names,
        case_statuses=case_statuses,
        last_revised=last_revised,
    )
