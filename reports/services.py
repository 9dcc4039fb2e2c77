"""Campaign results, computed from the ledger and nothing else."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Sum

from actions.models import Action
from campaigns.models import Campaign

WINDOW = timedelta(hours=24)
NONE_KEY = "(none)"  # not a valid slug, so it never collides with a partner or case


@dataclass(frozen=True)
class BusiestWindow:
    count: int
    start: datetime


@dataclass(frozen=True)
class CampaignReport:
    campaign: str
    total: int
    by_country: dict[str, int]
    by_type: dict[str, int]
    by_partner: dict[str, int]
    by_case: dict[str, int]
    busiest_24h: dict[str, BusiestWindow]

    @property
    def countries(self) -> int:
        return len(self.by_country)

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
        }


def _ranked(rows: Iterable[tuple[str | None, int]]) -> dict[str, int]:
    pairs = [(key or NONE_KEY, int(n)) for key, n in rows if n]
    return dict(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))


def busiest_window(points: Iterable[tuple[datetime, int]]) -> BusiestWindow:
    """The 24-hour window [start, start + 24h) holding the most actions.

    `points` are (time, count) sorted by time. The best window can always be taken to start
    at an action, so a two-pointer sweep over the points finds it exactly.
    """
    window: deque[tuple[datetime, int]] = deque()
    in_window = 0
    best = BusiestWindow(0, datetime.min.replace(tzinfo=UTC))
    # Sweep by window end: for each point as the last one, drop those 24h or more before it.
    for at, n in points:
        window.append((at, n))
        in_window += n
        while window[0][0] <= at - WINDOW:
            in_window -= window.popleft()[1]
        if in_window > best.count:
            best = BusiestWindow(in_window, window[0][0])
    return best


def campaign_report(campaign: Campaign) -> CampaignReport:
    actions = Action.objects.filter(campaign=campaign).order_by()

    def summed(field: str) -> list[tuple[Any, int]]:
        return list(actions.values_list(field).annotate(n=Sum("count")).values_list(field, "n"))

    by_country = _ranked(summed("country"))
    timeline = (
        actions.values_list("country", "occurred_at")
        .annotate(n=Sum("count"))
        .values_list("country", "occurred_at", "n")
        .order_by("country", "occurred_at")
    )
    busiest = {
        code: busiest_window((at, n) for _, at, n in rows)
        for code, rows in groupby(timeline.iterator(chunk_size=10_000), key=itemgetter(0))
    }
    return CampaignReport(
        campaign=campaign.slug,
        total=sum(by_country.values()),
        by_country=by_country,
        by_type=_ranked(summed("action_type")),
        by_partner=_ranked(summed("partner__slug")),
        by_case=_ranked(summed("case__slug")),
        busiest_24h={code: busiest[code] for code in by_country},
    )
