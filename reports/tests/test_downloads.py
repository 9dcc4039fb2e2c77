from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Campaign
from conftest import Cast
from lantern.testing import make_campaign
from lantern.tests.pdftools import flat, pdf_fonts, pdf_text
from reports.services import campaign_report

pytestmark = pytest.mark.django_db


def download(client: Client, campaign: Campaign, fmt: str) -> bytes:
    response = client.get(reverse("reports:download", args=[campaign.slug, fmt]))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"] == (
        f'attachment; filename="{campaign.slug}-results.{fmt}"'
    )
    return response.content


def test_the_results_page_links_every_download(client: Client, marathon: Campaign) -> None:
    page = client.get(reverse("reports:results", args=[marathon.slug])).content.decode()
    for fmt in ("pdf", "csv", "xlsx", "json"):
        assert f'href="/campaigns/{marathon.slug}/results.{fmt}"' in page


def test_json_is_the_same_object_as_the_campaign_report_command(
    client: Client, marathon: Campaign
) -> None:
    out = StringIO()
    call_command("campaign_report", marathon.slug, "--format", "json", stdout=out)
    downloaded = json.loads(download(client, marathon, "json"))
    assert downloaded == json.loads(out.getvalue())
    assert downloaded["total"] == 32_395
    assert downloaded["timeline"] == {"2012-12-08": 1_000, "2012-12-10": 30_894, "2012-12-12": 501}
    assert downloaded["peak_day"] == {"day": "2012-12-10", "count": 30_894}
    assert downloaded["partner_names"]["section-poland"] == "Amnesty International Poland"


def test_csv_read_back_equals_the_report(client: Client, marathon: Campaign) -> None:
    report = campaign_report(marathon)
    rows = list(csv.DictReader(io.StringIO(download(client, marathon, "csv").decode())))

    def section(name: str) -> dict[str, int]:
        return {r["key"]: int(r["actions"]) for r in rows if r["section"] == name}

    assert section("total") == {marathon.slug: report.total}
    assert section("country") == report.by_country
    assert section("type") == report.by_type
    assert section("case") == report.by_case
    assert section("partner") == report.by_partner
    assert section("day") == report.timeline
    busiest = {
        r["key"]: (int(r["busiest_24h"]), datetime.fromisoformat(r["busiest_24h_start"]))
        for r in rows
        if r["section"] == "country"
    }
    assert busiest == {code: (w.count, w.start) for code, w in report.busiest_24h.items()}
    names = {r["key"]: r["name"] for r in rows if r["section"] in ("country", "partner")}
    assert names["PL"] == "Poland"
    assert names["section-japan"] == "Amnesty International Japan"


def test_xlsx_read_back_equals_the_report(client: Client, marathon: Campaign) -> None:
    report = campaign_report(marathon)
    book = load_workbook(io.BytesIO(download(client, marathon, "xlsx")))
    assert book.sheetnames == ["Summary", "Countries", "Types", "Cases", "Partners", "Days"]

    def table(sheet: str, key: int = 0, value: int = 2) -> dict[str, int]:
        return {
            str(r[key]): int(r[value])  # type: ignore[arg-type]  # cells hold what was written
            for r in book[sheet].iter_rows(min_row=2, values_only=True)
        }

    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True)}
    assert summary["Total actions"] == report.total
    assert summary["Countries"] == report.countries
    assert table("Countries") == report.by_country
    assert table("Countries", value=3) == {c: w.count for c, w in report.busiest_24h.items()}
    assert table("Types") == report.by_type
    assert table("Cases") == report.by_case
    assert table("Partners") == report.by_partner
    assert table("Days", value=1) == report.timeline


def test_pdf_holds_the_summary_the_tables_and_embedded_fonts(
    client: Client, marathon: Campaign
) -> None:
    pdf = download(client, marathon, "pdf")
    assert pdf.startswith(b"%PDF")
    text = flat(pdf_text(pdf))
    assert "Results: " + marathon.title in text
    assert "32,395" in text
    assert "actions in 3 countries" in text
    assert "The most active country was Poland: 31,394 actions, 30,894 of them" in text
    for name in ("Poland", "Japan", "Malta", "Amnesty International Poland", "Ales Bialiatski"):
        assert name in text
    assert "Peak: Dec 10, 2012, 30,894" in text  # the chart's label, drawn from the SVG
    fonts = pdf_fonts(pdf)
    assert fonts and all(font.embedded for font in fonts)
    assert "NotoSans-Regular" in {font.name for font in fonts}


def test_an_unknown_format_is_404(client: Client, marathon: Campaign) -> None:
    url = reverse("reports:download", args=[marathon.slug, "docx"])
    assert client.get(url).status_code == 404


def test_downloads_of_a_draft_are_for_staff_only(client: Client, cast: Cast) -> None:
    url = reverse("reports:download", args=[make_campaign(status="draft").slug, "json"])
    assert client.get(url).status_code == 404
    client.force_login(cast.reporter)
    assert client.get(url).status_code == 404
    client.force_login(cast.organizer)
    assert client.get(url).status_code == 200


def test_downloads_refuse_post(client: Client, marathon: Campaign) -> None:
    url = reverse("reports:download", args=[marathon.slug, "csv"])
    assert client.post(url).status_code == 405
