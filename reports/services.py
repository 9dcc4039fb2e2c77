"""Campaign results, computed from the ledger and nothing else."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Max, Sum

from actions.models import Action
from campaigns.models import Campaign

WINDOW = timedelta(hours=24)
NONE_KEY = "(none)"  # not a valid slug, so it never collides with a partner or case
# The cases whose safety profile keeps their names out of public pages, counted together.
UNNAMED_KEY = "(not named)"


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
    """The campaign's results, in five queries whatever the size of the ledger. Cases that may
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
