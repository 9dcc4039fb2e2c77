"""What the results page, the PDF and the downloads show: a campaign report laid out for
people, in one language (names, numbers and dates formatted for it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from actions.types import ActionType
from campaigns.models import Campaign
from cases.models import Case
from events.models import EventPhoto
from reports import formatting
from reports.charts import Shade, WorldMap, timeline_chart, world_map
from reports.services import NONE_KEY, UNNAMED_KEY, CampaignReport
from reports.summary import Summary, summaries


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    count: int
    shown: str


@dataclass(frozen=True)
class CountryRow(Row):
    busiest: int
    busiest_shown: str
    busiest_start: datetime
    busiest_start_shown: str


@dataclass(frozen=True)
class LegendRow:
    colour: str
    label: str


@dataclass(frozen=True)
class Photo:
    pk: int
    width: int
    height: int
    caption: str
    alt: str  # what the event was: the caption says where


@dataclass(frozen=True)
class ResultsPage:
    language: str
    report: CampaignReport
    total_shown: str
    countries_shown: str
    summary: Summary
    other_summaries: list[Summary]
    countries: list[CountryRow]
    types: list[Row]
    partners: list[Row]
    cases: list[Row]
    map: WorldMap
    legend: list[LegendRow]
    timeline_svg: SafeString
    peak_day: str
    peak_shown: str
    photos: list[Photo]
    closed: bool
    last_revised: str


def legend_rows(shades: list[Shade], no_actions: str, language: str) -> list[LegendRow]:
    rows = [LegendRow(no_actions, gettext("No actions recorded"))]
    for shade in shades:
        low = formatting.number(shade.low, language)
        if shade.high is None:
            label = gettext("%(low)s or more") % {"low": low}
        elif shade.low == shade.high:
            label = low
        else:
            label = gettext("%(low)s to %(high)s") % {
                "low": low,
                "high": formatting.number(shade.high, language),
            }
        rows.append(LegendRow(shade.colour, label))
    return rows


def case_labels(report: CampaignReport) -> dict[str, str]:
    """Each case's name, with its status where it is news: released, moved, died."""
    statuses = dict(Case.Status.choices)
    labels = {}
    for slug, name in report.case_names.items():
        status = report.case_statuses.get(slug, "")
        if status in (*Case.NOT_IN_CUSTODY, Case.Status.IN_TRANSIT):
            name = gettext("%(name)s (%(status)s)") % {"name": name, "status": statuses[status]}
        labels[slug] = name
    return labels


def caption(photo: EventPhoto, language: str) -> str:
    if photo.caption:
        return photo.caption
    event = photo.event
    country = formatting.country(event.country, language)
    if not event.city:
        return country
    return gettext("%(city)s (%(country)s)") % {"city": event.city, "country": country}


def results_page(
    campaign: Campaign, report: CampaignReport, language: str, photos: list[EventPhoto]
) -> ResultsPage:
    with translation.override(language):
        return _results_page(campaign, report, language, photos)


def _results_page(
    campaign: Campaign, report: CampaignReport, language: str, photos: list[EventPhoto]
) -> ResultsPage:
    def n(value: int) -> str:
        return formatting.number(value, language)

    type_labels = dict(ActionType.choices)

    def rows(table: dict[str, int], names: dict[str, str], none_label: str) -> list[Row]:
        return [
            Row(key, none_label if key == NONE_KEY else names.get(key, key), count, n(count))
            for key, count in table.items()
        ]

    countries = []
    for code, count in report.by_country.items():
        window = report.busiest_24h[code]
        countries.append(
            CountryRow(
                code,
                formatting.country(code, language),
                count,
                n(count),
                window.count,
                n(window.count),
                window.start,
                formatting.moment(window.start, language),
            )
        )
    the_map = world_map(
        report.by_country,
        lambda code: formatting.country(code, language),
        n,
        title=gettext("Actions per country"),
    )
    peak = report.peak_day
    languages = list(dict.fromkeys(campaign.languages or ["en"]))
    ordered = [language, *languages] if language in languages else languages
    all_summaries = summaries(report, ordered)
    return ResultsPage(
        language=language,
        report=report,
        total_shown=n(report.total),
        countries_shown=n(report.countries),
        summary=all_summaries[0],
        other_summaries=all_summaries[1:],
        countries=countries,
        types=rows(report.by_type, {k: str(v) for k, v in type_labels.items()}, ""),
        partners=rows(report.by_partner, report.partner_names, gettext("Direct (no partner)")),
        cases=rows(
            report.by_case,
            {**case_labels(report), UNNAMED_KEY: gettext("People who cannot be named here")},
            gettext("The campaign as a whole"),
        ),
        map=the_map,
        legend=legend_rows(the_map.legend, the_map.no_actions_colour, language),
        timeline_svg=timeline_chart(
            report.timeline,
            peak,
            lambda day: formatting.short_day(day, language),
            n,
            title=gettext("Actions per day"),
        ),
        peak_day=formatting.day(peak[0], language) if peak else "",
        peak_shown=n(peak[1]) if peak else "",
        photos=[
            Photo(p.pk, p.width, p.height, caption(p, language), p.event.title) for p in photos
        ],
        closed=campaign.status == Campaign.Status.CLOSED,
        last_revised=formatting.moment(report.last_revised, language)
        if report.last_revised
        else "",
    )
