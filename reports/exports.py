"""The results as files: CSV, XLSX, JSON and PDF. Each holds the same figures as the page,
taken from one `CampaignReport`; JSON is exactly `manage.py campaign_report --format json`."""

from __future__ import annotations

import csv
import json
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook

from campaigns.models import Campaign
from lantern.pdf import render_pdf
from reports import formatting
from reports.charts import timeline_chart, world_map
from reports.page import ResultsPage

PDF_LAYOUT = Path(__file__).parent / "pdf" / "results.typ"
CSV_COLUMNS = ["section", "key", "name", "actions", "busiest_24h", "busiest_24h_start"]


def as_json(page: ResultsPage) -> str:
    return json.dumps(page.report.as_json(), ensure_ascii=False, indent=2)


def _sections(page: ResultsPage) -> list[tuple[str, list[Any]]]:
    return [
        ("type", page.types),
        ("case", page.cases),
        ("partner", page.partners),
    ]


def as_csv(page: ResultsPage) -> str:
    """One table, one row per figure: `section` says which breakdown a row belongs to."""
    report = page.report
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerow(["total", report.campaign, "", report.total, "", ""])
    for row in page.countries:
        writer.writerow(
            ["country", row.key, row.name, row.count, row.busiest, row.busiest_start.isoformat()]
        )
    for section, rows in _sections(page):
        for row in rows:
            writer.writerow([section, row.key, row.name, row.count, "", ""])
    for day, count in report.timeline.items():
        writer.writerow(["day", day, "", count, "", ""])
    return out.getvalue()


def as_xlsx(page: ResultsPage, campaign: Campaign) -> bytes:
    report = page.report
    with translation.override(page.language):
        book = Workbook()
        summary = book.worksheets[0]
        summary.title = gettext("Summary")
        summary.append([gettext("Campaign"), campaign.title])
        summary.append([gettext("Total actions"), report.total])
        summary.append([gettext("Countries"), report.countries])
        summary.append([gettext("Last revised (UTC)"), page.last_revised])
        summary.append([gettext("Summary"), page.summary.text])
        countries = book.create_sheet(gettext("Countries"))
        countries.append(
            [
                gettext("Code"),
                gettext("Country"),
                gettext("Actions"),
                gettext("Busiest 24 hours"),
                gettext("From (UTC)"),
            ]
        )
        for row in page.countries:
            countries.append(
                [row.key, row.name, row.count, row.busiest, row.busiest_start.replace(tzinfo=None)]
            )
        for title, rows in (
            (gettext("Types"), page.types),
            (gettext("Cases"), page.cases),
            (gettext("Partners"), page.partners),
        ):
            sheet = book.create_sheet(title)
            sheet.append([gettext("Key"), gettext("Name"), gettext("Actions")])
            for item in rows:
                sheet.append([item.key, item.name, item.count])
        days = book.create_sheet(gettext("Days"))
        days.append([gettext("Day (UTC)"), gettext("Actions")])
        for day, count in report.timeline.items():
            days.append([day, count])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_data(page: ResultsPage, campaign: Campaign) -> dict[str, Any]:
    report = page.report
    with translation.override(page.language):

        def name(code: str) -> str:
            return formatting.country(code, page.language)

        def n(value: int) -> str:
            return formatting.number(value, page.language)

        the_map = world_map(
            report.by_country, name, n, title=gettext("Actions per country"), standalone=True
        )
        chart = timeline_chart(
            report.timeline,
            report.peak_day,
            lambda day: formatting.short_day(day, page.language),
            n,
            title=gettext("Actions per day"),
            standalone=True,
        )
        return {
            "title": gettext("Results: %(title)s") % {"title": campaign.title},
            "lang": page.language.split("-")[0],
            "summary": page.summary.text,
            "total": page.total_shown,
            "total_line": gettext("%(total)s actions in %(countries)s countries")
            % {"total": page.total_shown, "countries": page.countries_shown},
            "total_caption": gettext("actions in %(countries)s countries")
            % {"countries": page.countries_shown},
            "status": gettext("Last revised %(when)s.") % {"when": page.last_revised}
            if page.last_revised
            else "",
            "map_svg": str(the_map.svg),
            "legend": [[row.colour, row.label] for row in page.legend],
            "timeline_svg": str(chart),
            "peak": gettext("The busiest day was %(day)s, with %(count)s actions (days in UTC).")
            % {"day": page.peak_day, "count": page.peak_shown}
            if page.peak_day
            else "",
            "labels": {
                "map": gettext("Where people acted"),
                "by_country": gettext("By country"),
                "country": gettext("Country"),
                "actions": gettext("Actions"),
                "busiest": gettext("Busiest 24 hours"),
                "from": gettext("From"),
                "timeline": gettext("Actions per day"),
                "by_type": gettext("By type of action"),
                "by_case": gettext("By case"),
                "by_partner": gettext("By partner"),
            },
            "countries": [
                [row.name, row.shown, row.busiest_shown, row.busiest_start_shown]
                for row in page.countries
            ],
            "types": [[row.name, row.shown] for row in page.types],
            "cases": [[row.name, row.shown] for row in page.cases],
            "partners": [[row.name, row.shown] for row in page.partners],
        }


def as_pdf(page: ResultsPage, campaign: Campaign) -> bytes:
    return render_pdf(PDF_LAYOUT, pdf_data(page, campaign))
