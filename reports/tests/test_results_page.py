from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from conftest import Cast
from events.models import EventReport
from events.services import add_photo
from events.tests.test_clean_photo import jpeg_with_gps
from lantern.testing import make_campaign
from petitions.services import SignatureInput, sign_petition
from reports.services import campaign_report

pytestmark = pytest.mark.django_db


def get_page(client: Client, campaign: Campaign) -> str:
    response = client.get(reverse("reports:results", args=[campaign.slug]))
    assert response.status_code == 200
    return response.content.decode()


def cells(page: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table id="{table_id}".*?<tbody>(.*?)</tbody>', page, re.S)
    assert table, table_id
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr)]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    ]


def test_the_page_shows_the_report_total_and_every_breakdown(
    client: Client, marathon: Campaign
) -> None:
    page = get_page(client, marathon)
    report = campaign_report(marathon)
    assert report.total == 32_395
    assert 'data-total="32395">32,395</span>' in page
    assert [r[:3] for r in cells(page, "by-country")] == [
        ["Poland", "31,394", "30,894"],
        ["Japan", "1,000", "1,000"],
        ["Malta", "1", "1"],
    ]
    assert cells(page, "by-type") == [
        ["Petition signature", "16,895"],
        ["Letter", "14,000"],
        ["Art action", "1,500"],
    ]
    assert cells(page, "by-partner") == [
        ["Amnesty International Poland", "31,394"],
        ["Amnesty International Japan", "1,000"],
        ["Direct (no partner)", "1"],
    ]
    assert cells(page, "by-case") == [["Ales Bialiatski", "32,395"]]


def test_the_busiest_24_hours_start_is_shown_in_utc(client: Client, marathon: Campaign) -> None:
    poland = cells(get_page(client, marathon), "by-country")[0]
    assert poland[3] == "December 10, 2012, 8:00\u202fAM UTC"


def test_the_summary_names_total_countries_and_the_most_active_one(
    client: Client, marathon: Campaign
) -> None:
    page = get_page(client, marathon)
    summary = re.search(r'<p id="summary" lang="en">(.*?)</p>', page, re.S)
    assert summary
    assert summary.group(1) == (
        "All in all, 32,395 actions were taken in 3 countries: Japan, Malta, and Poland. "
        "The most active country was Poland: 31,394 actions, 30,894 of them within 24 hours "
        "from December 10, 2012, 8:00\u202fAM UTC."
    )


def test_the_summary_is_also_given_in_the_campaigns_other_languages(
    client: Client, marathon: Campaign
) -> None:
    page = get_page(client, marathon)
    polish = re.search(r'<p lang="pl">(.*?)</p>', page, re.S)
    belarusian = re.search(r'<p lang="be">(.*?)</p>', page, re.S)
    assert polish and belarusian
    # Locale-aware numbers and country names, whatever the catalogs hold for the sentences.
    assert "32\xa0395" in polish.group(1)
    assert "Japonia, Malta i Polska" in polish.group(1)
    assert "Польшча" in belarusian.group(1)


def test_the_map_shades_countries_with_actions_and_titles_every_country(
    client: Client, marathon: Campaign
) -> None:
    page = get_page(client, marathon)
    svg = re.search(r"<svg[^>]*class=\"world-map\".*?</svg>", page, re.S)
    assert svg
    assert 'role="img"' in svg.group(0)
    poland = re.search(
        r'<path d="[^"]+" fill="([^"]+)" data-country="PL"><title>(.*?)</title>', svg.group(0)
    )
    japan = re.search(
        r'<path d="[^"]+" fill="([^"]+)" data-country="JP"><title>(.*?)</title>', svg.group(0)
    )
    brazil = re.search(
        r'<path d="[^"]+" fill="([^"]+)" data-country="BR"><title>(.*?)</title>', svg.group(0)
    )
    assert poland and japan and brazil
    assert poland.group(2) == "Poland: 31,394 actions"
    assert japan.group(2) == "Japan: 1,000 actions"
    assert brazil.group(2) == "Brazil: no actions recorded"
    assert len({poland.group(1), japan.group(1), brazil.group(1)}) == 3
    # Malta is too small for the shapes: a dot marks it.
    assert re.search(r'<circle [^>]*data-country="MT"><title>Malta: 1 action</title>', svg.group(0))
    assert svg.group(0).count("<title") == 174 + 1 + 1  # shapes, the dot, the map's own


def test_the_legend_lists_each_shade_in_words(client: Client, marathon: Campaign) -> None:
    page = get_page(client, marathon)
    legend = re.search(r'<ul class="legend"[^>]*>(.*?)</ul>', page, re.S)
    assert legend
    labels = re.findall(r"</svg>([^<]+)</li>", legend.group(1))  # after each swatch
    assert labels == [
        "No actions recorded",
        "1 to 9",
        "10 to 99",
        "100 to 999",
        "1,000 to 9,999",
        "10,000 to 99,999",
    ]


def test_the_timeline_has_one_bar_per_day_and_marks_the_peak(
    client: Client, marathon: Campaign
) -> None:
    page = get_page(client, marathon)
    chart = re.search(r'<svg[^>]*class="day-chart".*?</svg>', page, re.S)
    assert chart
    # 8 to 12 December (UTC); the 9th and the 11th have no actions and no bar.
    assert re.findall(r"<title>([^<]*)</title></rect>", chart.group(0)) == [
        "Dec 8, 2012: 1,000 actions",
        "Dec 10, 2012: 30,894 actions",
        "Dec 12, 2012: 501 actions",
    ]
    assert chart.group(0).count("<rect x=") == 3
    assert 'data-peak="2012-12-10"' in chart.group(0)
    assert "The busiest day was December 10, 2012, with 30,894 actions" in page


def test_the_gallery_shows_event_photos_with_captions(client: Client, marathon: Campaign) -> None:
    event = EventReport.objects.create(
        campaign=marathon,
        title="Street painting",
        city="Warsaw",
        country="PL",
        happened_at=datetime(2012, 12, 10, 14, tzinfo=UTC),
    )
    add_photo(event, jpeg_with_gps((400, 300)), caption="Warsaw (Poland)")
    add_photo(event, jpeg_with_gps((400, 300)))
    page = get_page(client, marathon)
    captions = re.findall(r"<figcaption>([^<]*)</figcaption></figure></li>", page)
    assert captions == ["Warsaw (Poland)", "Warsaw (Poland)"]  # the second from the event
    assert page.count('src="/events/photos/') == 2
    assert page.count('alt="Street painting"') == 2


def test_the_page_says_whether_the_campaign_is_closed_and_when_last_revised(
    client: Client, marathon: Campaign
) -> None:
    page = get_page(client, marathon)
    assert "still running" in page
    marathon.status = Campaign.Status.CLOSED
    marathon.save(update_fields=["status"])
    page = get_page(client, marathon)
    assert "The campaign is closed" in page
    revised = campaign_report(marathon).last_revised
    assert revised is not None
    assert f"Last revised {revised:%B} {revised.day}, {revised:%Y}" in page


def test_an_empty_campaign_says_so(client: Client) -> None:
    page = get_page(client, make_campaign())
    assert "No actions have been recorded yet." in page
    assert 'class="day-chart"' not in page


def test_results_queries_are_bounded(
    client: Client, marathon: Campaign, django_assert_max_num_queries: object
) -> None:
    event = EventReport.objects.create(
        campaign=marathon, title="E", country="JP", happened_at=datetime(2012, 12, 8, tzinfo=UTC)
    )
    for _ in range(5):
        add_photo(event, jpeg_with_gps((40, 30)))
    for n in range(20):
        sign_petition(marathon, SignatureInput(name="S", email=f"s{n}@x.org", country="PL"))
    # The campaign, the report (at most eight queries: after the new signatures, its roll-ups
    # are computed again from the ledger) and the gallery; none per country or photo.
    with django_assert_max_num_queries(10):  # type: ignore[operator]  # pytest-django fixture
        get_page(client, marathon)
    # Nothing new since: the report reads no ledger row.
    with django_assert_max_num_queries(6):  # type: ignore[operator]  # pytest-django fixture
        get_page(client, marathon)


def test_results_of_a_draft_are_hidden_except_from_staff(client: Client, cast: Cast) -> None:
    url = reverse("reports:results", args=[make_campaign(status="draft").slug])
    assert client.get(url).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.organizer)
    assert client.get(url).status_code == 200


def test_results_refuse_post(client: Client) -> None:
    url = reverse("reports:results", args=[make_campaign().slug])
    assert client.post(url).status_code == 405
