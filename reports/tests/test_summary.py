from __future__ import annotations

from datetime import UTC, datetime

from reports.services import BusiestWindow, CampaignReport
from reports.summary import summaries, summary_text

START = datetime(2012, 12, 9, 23, tzinfo=UTC)


def report(by_country: dict[str, int], busiest: dict[str, int]) -> CampaignReport:
    return CampaignReport(
        campaign="w4r",
        total=sum(by_country.values()),
        by_country=by_country,
        by_type={},
        by_partner={},
        by_case={},
        busiest_24h={code: BusiestWindow(n, START) for code, n in busiest.items()},
    )


SEED = report(
    {"PL": 31_394, "JP": 1_000, "GB": 120, "KR": 90},
    {"PL": 30_894, "JP": 1_000, "GB": 100, "KR": 90},
)


def test_the_summary_reads_like_the_seed_article() -> None:
    assert summary_text(SEED, "en") == (
        "All in all, 32,604 actions were taken in 4 countries: Japan, Poland, South Korea, "
        "and United Kingdom. The most active country was Poland: 31,394 actions, 30,894 of "
        "them within 24 hours from December 9, 2012, 11:00\u202fPM UTC."
    )


def test_numbers_lists_and_country_names_follow_the_language() -> None:
    polish = summary_text(SEED, "pl")
    assert "32\xa0604" in polish
    assert "Japonia, Korea Południowa, Polska i Wielka Brytania" in polish
    assert "9 grudnia 2012" in polish
    ukrainian = summary_text(SEED, "uk")
    assert "Велика Британія, Південна Корея, Польща і Японія" in ukrainian  # і before о
    assert "Вялікабрытанія, Паўднёвая Карэя, Польшча і Японія" in summary_text(SEED, "be")


def test_one_country_is_named_without_a_count() -> None:
    text = summary_text(report({"TG": 1}, {"TG": 1}), "en")
    assert text.startswith("All in all, 1 action was taken, in Togo.")
    assert "most active" not in text


def test_no_actions_says_so() -> None:
    assert summary_text(report({}, {}), "en") == "No actions have been recorded yet."


def test_summaries_come_in_the_campaigns_languages_once_each() -> None:
    found = summaries(SEED, ["pl", "en", "pl", "be"])
    assert [(s.language, s.language_name) for s in found] == [
        ("pl", "polski"),
        ("en", "English"),
        ("be", "беларуская"),
    ]
    assert summaries(SEED, [])[0].language == "en"
