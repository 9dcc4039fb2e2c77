"""The fair spread: whom to offer a supporter's letter or card, so that the letters reach
everyone on the list and not only the best known.

Who can be chosen (`candidates`), for one writer (their country, whether they sign with a
full name, letter or postcard):

- a registry prisoner on their source's latest list (`Prisoner.listed`), in custody and not
  in transit (a moved person's mail waits; a released or dead person gets none);
- whose safety profile allows it: *may be written to*; not *letters from abroad risky* when
  the writer is in another country; not *named correspondents only* unless the writer signs
  with a full name;
- with a current address (a facility that passes postcards, for a postcard);
- below their cap: with `max_letters_per_batch`, fewer letters not yet posted than the cap.

The weight of each is 1 / (1 + n)², where n counts the letters written to them lately (not
rejected; the last `FAIR_SPREAD_DAYS` days). Nobody's weight is zero, so nobody starves;
someone with no letter is four times as likely as someone with one, and nine times as
likely as someone with two.

In a card drive, the draw is first among those with the fewest cards of the drive (so that
a card goes to someone without one while anyone is left), then weighted as above.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from cases.models import AddressPeriod, Case
from letters.models import Letter
from registry.models import Drive
from registry.refresh import current_periods

_system = random.SystemRandom()


@dataclass(frozen=True)
class Writer:
    """What a person's limits depend on: who writes, and what."""

    country: str | None  # None: not known (counts drives' reach for any writer)
    full_name: bool | None  # None: not known yet (the form then asks for one)
    kind: str = Letter.Kind.LETTER


@dataclass(frozen=True)
class Candidate:
    case: Case
    period: AddressPeriod
    letters: int  # in the last FAIR_SPREAD_DAYS days
    cards: int | None = None  # in a drive: the drive's cards to them

    @property
    def weight(self) -> float:
        return 1.0 / (1 + self.letters) ** 2


def is_full_name(name: str) -> bool:
    """At least two words with letters: "Zofia Nowak", not "Zofia" or "Z. N."."""
    return sum(1 for word in name.split() if sum(c.isalpha() for c in word) >= 2) >= 2


def campaign_countries(campaign: Campaign) -> list[str]:
    """A campaign offers the registry's prisoners of its own cases' countries."""
    return sorted(set(campaign.cases.values_list("country", flat=True)))


def pool(
    *,
    countries: Iterable[str] | QuerySet[Case, Any] | None = None,
    drive: Drive | None = None,
) -> QuerySet[Case]:
    """Registry prisoners on their list and in custody: a campaign's (by country) or a
    drive's group (its sources, countries, facilities and statuses; empty means all)."""
    cases = Case.objects.filter(prisoner__listed=True).exclude(status__in=Case.NOT_IN_CUSTODY)
    if countries is not None:
        cases = cases.filter(
            country__in=countries if isinstance(countries, QuerySet) else list(countries)
        )
    if drive is not None:
        source_ids = [s.pk for s in drive.sources.all()]
        if source_ids:
            cases = cases.filter(prisoner__source_id__in=source_ids)
        if drive.countries:
            cases = cases.filter(country__in=drive.countries)
        if drive.statuses:
            cases = cases.filter(status__in=drive.statuses)
        facility_ids = [f.pk for f in drive.facilities.all()]
        if facility_ids:
            today = timezone.localdate()
            at = AddressPeriod.objects.filter(
                case=OuterRef("pk"), facility_id__in=facility_ids, valid_from__lte=today
            ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            cases = cases.filter(Exists(at))
    return cases.order_by("pk")


def _per_case(letters: QuerySet[Letter], case_ids: Sequence[int]) -> dict[int, int]:
    """How many of these letters (not rejected) each case has."""
    rows = (
        letters.filter(case_id__in=list(case_ids))
        .exclude(status=Letter.Status.REJECTED)
        .values_list("case_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def letters_lately(case_ids: list[int]) -> dict[int, int]:
    """Letters per case in the last FAIR_SPREAD_DAYS days (not rejected)."""
    since = timezone.now() - timedelta(days=settings.FAIR_SPREAD_DAYS)
    return _per_case(Letter.objects.filter(created_at__gte=since), case_ids)


def _cards(case_ids: list[int], drive: Drive) -> dict[int, int]:
    return _per_case(Letter.objects.filter(assignment__drive=drive), case_ids)


def unposted(case_ids: Sequence[int]) -> dict[int, int]:
    """Letters not yet posted per case: what a cap on letters per batch is counted against."""
    return _per_case(Letter.objects.filter(status__in=Letter.UNPOSTED), case_ids)


def candidates(
    cases: QuerySet[Case],
    writer: Writer,
    *,
    drive: Drive | None = None,
    on: date | None = None,
    cap: bool = True,
    counts: bool = True,
) -> list[Candidate]:
    """Who among `cases` may get this writer's letter now, with their counts (unless not
    `counts`, or not in a drive: fewer); at most six queries."""
    day = on or timezone.localdate()
    allowed = cases.filter(may_be_written_to=True).exclude(status=Case.Status.IN_TRANSIT)
    if writer.country is not None:
        allowed = allowed.exclude(~Q(country=writer.country), letters_from_abroad_risky=True)
    if writer.full_name is False:
        allowed = allowed.exclude(named_correspondents_only=True)
    found = list(allowed.exclude(status__in=Case.NOT_IN_CUSTODY))
    periods = current_periods([c.pk for c in found], day)
    postcard = writer.kind == Letter.Kind.POSTCARD
    reachable = [
        c
        for c in found
        if (period := periods.get(c.pk)) is not None
        and period.lines
        and (period.facility.postcards_allowed or not postcard)
    ]
    capped = [c.pk for c in reachable if c.max_letters_per_batch is not None]
    waiting = unposted(capped) if cap and capped else {}
    open_ = [
        c
        for c in reachable
        if c.max_letters_per_batch is None or waiting.get(c.pk, 0) < c.max_letters_per_batch
    ]
    ids = [c.pk for c in open_] if counts else []
    lately = letters_lately(ids) if ids else {}
    cards = _cards(ids, drive) if ids and drive is not None else {}
    return [
        Candidate(c, periods[c.pk], lately.get(c.pk, 0), cards.get(c.pk, 0) if drive else None)
        for c in open_
    ]


def draw(choices: Sequence[Candidate], rng: random.Random | None = None) -> Candidate | None:
    """One candidate, at random, weighted toward those with fewer letters (in a drive, among
    those with the fewest of its cards)."""
    if not choices:
        return None
    fewest = min((c.cards for c in choices if c.cards is not None), default=None)
    tier = [c for c in choices if c.cards == fewest] if fewest is not None else list(choices)
    return (rng or _system).choices(tier, weights=[c.weight for c in tier], k=1)[0]


def offer(
    campaign: Campaign,
    writer: Writer,
    *,
    rng: random.Random | None = None,
    not_case: int | None = None,
) -> tuple[Candidate | None, int]:
    """Whom to offer a writer on the campaign's "write to someone" page, and the pool's size.
    `not_case`: the person offered before ("someone else, please"), unless alone."""
    choices = candidates(pool(countries=campaign_countries(campaign)), writer)
    others = [c for c in choices if c.case.pk != not_case] or choices
    return draw(others, rng), len(choices)


def why_not(case: Case, writer: Writer) -> str:
    """Why this person cannot get this writer's letter now, for the writer to read."""
    if not case.in_custody or not case.may_be_written_to:
        return _("This person cannot get letters now.")
    if case.mail_on_hold:
        return _("This person is being moved between prisons; their mail waits.")
    if case.letters_from_abroad_risky and writer.country and writer.country != case.country:
        return _("Letters from abroad can put this person at risk: please write to someone else.")
    if case.named_correspondents_only and writer.full_name is False:
        return _("This person receives only letters signed with a full name: sign with yours.")
    return _("This person has as many letters waiting as the prison lets through at once.")
