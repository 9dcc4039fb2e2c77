"""The summary paragraph a press release opens with, generated from a campaign report.

"All in all, 104,731 actions were taken in 36 countries: Austria, Belgium, ... and the United
Kingdom. The most active country was Poland: 31,394 actions, 30,894 of them within 24 hours
from December 10, 2012." Every sentence is a translatable string with named placeholders;
numbers, dates, lists and country names come from Babel in the language asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, ngettext

from reports import formatting
from reports.services import CampaignReport


@dataclass(frozen=True)
class Summary:
    language: str
    language_name: str
    text: str


def summary_text(report: CampaignReport, language: str) -> str:
    with translation.override(language):
        if not report.total:
            return gettext("No actions have been recorded yet.")
        names = formatting.names_list(
            formatting.countries_sorted(list(report.by_country), language), language
        )
        total = formatting.number(report.total, language)
        countries = formatting.number(report.countries, language)
        if report.countries == 1:
            first = ngettext(
                "All in all, %(total)s action was taken, in %(names)s.",
                "All in all, %(total)s actions were taken, in %(names)s.",
                report.total,
            ) % {"total": total, "names": names}
        else:
            first = ngettext(
                "All in all, %(total)s action was taken in %(countries)s countries: %(names)s.",
                "All in all, %(total)s actions were taken in %(countries)s countries: %(names)s.",
                report.total,
            ) % {"total": total, "countries": countries, "names": names}
        code, count = next(iter(report.by_country.items()))
        window = report.busiest_24h[code]
        place = {
            "country": formatting.country(code, language),
            "count": formatting.number(count, language),
            "busiest": formatting.number(window.count, language),
            "start": formatting.moment(window.start, language),
        }
        if report.countries == 1:
            second = (
                ngettext(
                    "%(busiest)s of them within 24 hours from %(start)s.",
                    "%(busiest)s of them within 24 hours from %(start)s.",
                    window.count,
                )
                % place
            )
        else:
            second = (
                ngettext(
                    "The most active country was %(country)s: %(count)s action, "
                    "%(busiest)s of them within 24 hours from %(start)s.",
                    "The most active country was %(country)s: %(count)s actions, "
                    "%(busiest)s of them within 24 hours from %(start)s.",
                    count,
                )
                % place
            )
        return f"{first} {second}"


def summaries(report: CampaignReport, languages: list[str]) -> list[Summary]:
    """The paragraph in each of the campaign's languages, in the campaign's order."""
    return [
        Summary(lang, formatting.language_name(lang), summary_text(report, lang))
        for lang in dict.fromkeys(languages or ["en"])
    ]
