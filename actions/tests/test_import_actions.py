"""The `import_actions` command: a partner's CSV file into the ledger, all rows or none."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from pytest_django import DjangoAssertNumQueries

from actions.models import Action, ImportBatch, Tally
from actions.tallies import read_totals
from actions.types import Source
from campaigns.models import Campaign
from conftest import Cast
from lantern.testing import make_campaign, make_partner
from reports.services import campaign_report

HEADER = "occurred_at,country,city,action_type,count,channel,external_id,note"

GOOD = [
    HEADER,
    "2012-12-10T09:00:00+01:00,Poland,Warsaw,letter,14250,event,pl-2012-0001,Letters in schools",
    "2012-12-12T18:00:00+09:00,JP,Tokyo,art,1000,event,pl-2012-0002,More than 1000 lanterns lit",
    "2012-12-15T11:00:00Z,the Czech Republic,Prague,signature,312,paper,pl-2012-0003,",
    "2012-12-16T08:30:00-05:00,South Korea,Seoul,card,40,,pl-2012-0004,",
    '2012-12-17T12:00:00+00:00,the UK,London,photo,3,online,pl-2012-0005,"Quoted, with a comma"',
    "2012-12-18T16:00:00-04:00,the Bermudas,Hamilton,event,2,partner,pl-2012-0006,",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast: Cast) -> Campaign:
    return make_campaign(partners=[cast.partner])


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


class Run:
    """One call of the command, with what it wrote to stdout and stderr."""

    def __init__(self, path: Path, campaign: str, partner: str = "amnesty-poland") -> None:
        self.stdout, self.stderr = StringIO(), StringIO()
        self.args = [str(path), "--campaign", campaign, "--partner", partner]

    def __call__(self, *options: str) -> Run:
        call_command("import_actions", *self.args, *options, stdout=self.stdout, stderr=self.stderr)
        return self

    @property
    def out(self) -> str:
        return self.stdout.getvalue()

    @property
    def err(self) -> str:
        return self.stderr.getvalue()

    def line_errors(self) -> dict[int, str]:
        """The `line N: reason` lines written to stderr, by line number."""
        found = re.findall(r"^line (\d+): (.*)$", self.err, flags=re.MULTILINE)
        numbers = [int(n) for n, _ in found]
        assert len(numbers) == len(set(numbers)), f"a line is reported twice: {self.err}"
        return {int(n): reason for n, reason in found}


def ledger_by_country(campaign: Campaign) -> dict[str, int]:
    rows = Action.objects.filter(campaign=campaign).values_list("country").annotate(n=Sum("count"))
    return dict(rows.values_list("country", "n"))


def ledger_total(campaign: Campaign) -> int:
    return int(Action.objects.filter(campaign=campaign).aggregate(n=Sum("count"))["n"] or 0)


def test_good_file_is_imported_and_totals_equal_the_ledger(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    path = write_csv(tmp_path / "results.csv", GOOD)

    run = Run(path, campaign.slug)("--no-progress")

    assert run.out == (
        f"Imported 6 new action row(s) for Amnesty International Poland into {campaign.title}; "
        "0 were already recorded.\n"
    )
    assert run.err == ""
    ledger = ledger_by_country(campaign)
    assert ledger == {"PL": 14250, "JP": 1000, "CZ": 312, "KR": 40, "GB": 3, "BM": 2}
    totals = read_totals(campaign.pk)
    assert dict(totals.by_country) == ledger
    assert totals.total == sum(ledger.values()) == 15607
    report = campaign_report(campaign)
    assert report.by_country == ledger
    assert report.total == totals.total
    assert report.by_partner == {"amnesty-poland": 15607}
    assert report.by_type == {
        "letter": 14250,
        "art": 1000,
        "signature": 312,
        "card": 40,
        "photo": 3,
        "event": 2,
    }


def test_imported_rows_keep_their_values_and_provenance(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    path = write_csv(tmp_path / "results.csv", GOOD)
    Run(path, campaign.slug)("--no-progress")

    batch = ImportBatch.objects.get()
    assert (batch.campaign, batch.partner, batch.filename) == (
        campaign,
        cast.partner,
        "results.csv",
    )
    assert (batch.rows_in_file, batch.rows_added) == (6, 6)
    assert batch.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert set(Action.objects.values_list("import_batch", "partner", "source", "case")) == {
        (batch.pk, cast.partner.pk, Source.IMPORT, campaign.cases.get().pk)
    }
    seoul = Action.objects.get(external_id="pl-2012-0004")
    assert seoul.occurred_at == datetime(2012, 12, 16, 13, 30, tzinfo=UTC)
    assert seoul.utc_offset_minutes == -300
    assert (seoul.city, seoul.action_type, seoul.count) == ("Seoul", "card", 40)
    assert seoul.channel == "paper"  # the default when the column is empty
    london = Action.objects.get(external_id="pl-2012-0005")
    assert (london.channel, london.note) == ("online", "Quoted, with a comma")


def test_country_names_from_the_seed_article_resolve(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    names = ["the Czech Republic", "South Korea", "the UK", "the Bermudas", "Poland", "pl"]
    rows = [f"2012-12-10T10:00:00+01:00,{name},,letter,1,,id-{n}," for n, name in enumerate(names)]
    Run(write_csv(tmp_path / "names.csv", [HEADER, *rows]), campaign.slug)("--no-progress")

    found = dict(Action.objects.values_list("external_id", "country"))
    assert [found[f"id-{n}"] for n in range(len(names))] == ["CZ", "KR", "GB", "BM", "PL", "PL"]


BAD_FILE = [
    HEADER,  # 1
    "2012-12-10T09:00:00+01:00,PL,Warsaw,letter,10,event,ok-1,",  # 2
    "10 December 2012,PL,,letter,1,paper,bad-date,",  # 3
    "2012-12-10T09:00:00,PL,,letter,1,paper,no-offset,",  # 4
    "2012-12-10T09:00:00+01:00,Atlantis,,letter,1,paper,atlantis,",  # 5
    "2012-12-10T09:00:00+01:00,PL,,letter,0,paper,zero,",  # 6
    "2012-12-10T09:00:00+01:00,PL,,letter,-5,paper,negative,",  # 7
    "2012-12-10T09:00:00+01:00,PL,,letter,many,paper,words,",  # 8
    "2012-12-10T09:00:00+01:00,PL,,dance,1,paper,dance,",  # 9
    "2012-12-10T09:00:00+01:00,PL,,letter,1,pigeon,pigeon,",  # 10
    "2012-12-10T09:00:00+01:00,PL,,letter,1,paper,,",  # 11
    "",  # 12: a blank line is skipped but still counted
    '2012-12-10T09:00:00+01:00,PL,,letter,2,paper,ok-2,"a note on',  # 13
    'two lines"',  # 14
    "2012-12-11T09:00:00+01:00,PL,,card,3,paper,ok-1,",  # 15: ok-1 again
    "2012-12-10T09:00:00+01:00,PL,,letter,1,paper,short",  # 16: seven fields
    "2012-12-10T09:00:00+01:00,Atlantis,,letter,0,paper,two-problems,",  # 17
    "0001-01-01T00:00:00+01:00,PL,,letter,1,paper,year-one,",  # 18
    "2999-12-10T09:00:00+01:00,PL,,letter,1,paper,future,",  # 19
    "2012-12-10T09:00:00+01:00,PL,,letter,1000001,paper,too-many,",  # 20
    '2012-12-10T09:00:00+01:00,Atlantis,,letter,2,paper,multi,"a note on',  # 21
    'two lines"',  # 22
    "2012-12-10T09:00:00+01:00,PL,,letter,1,paper,ok-3,",  # 23
]


def test_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    run = Run(write_csv(tmp_path / "bad.csv", BAD_FILE), campaign.slug)

    with pytest.raises(CommandError, match=r"^Nothing imported: 16 bad row\(s\) in bad\.csv\.$"):
        run("--no-progress")

    errors = run.line_errors()
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 18, 19, 20, 21]
    assert errors[3] == (
        "occurred_at '10 December 2012' is not an ISO 8601 time (e.g. 2012-12-10T18:30:00+01:00)"
    )
    assert errors[4] == "occurred_at '2012-12-10T09:00:00' has no UTC offset (add e.g. +01:00 or Z)"
    assert errors[5] == "country 'Atlantis' is not an ISO 3166 code or a known name"
    assert errors[6] == "count '0' is not a positive whole number"
    assert errors[7] == "count '-5' is not a positive whole number"
    assert errors[8] == "count 'many' is not a positive whole number"
    assert errors[9].startswith("action_type 'dance' is not one of signature, letter, card,")
    assert errors[10] == "channel 'pigeon' is not one of online, paper, event, partner"
    assert errors[11] == "external_id is missing"
    assert errors[15] == "external_id 'ok-1' repeats line 2"
    assert errors[16] == "has 7 fields, the header has 8"
    assert errors[17] == (
        "country 'Atlantis' is not an ISO 3166 code or a known name; "
        "count '0' is not a positive whole number"
    )
    assert errors[18] == "occurred_at '0001-01-01T00:00:00+01:00' is before 1900"
    assert errors[19] == "occurred_at '2999-12-10T09:00:00+01:00' is in the future"
    assert errors[20] == "count 1000001 is more than 1,000,000 in one row"
    assert errors[21] == "country 'Atlantis' is not an ISO 3166 code or a known name"
    assert not Action.objects.exists()
    assert not ImportBatch.objects.exists()
    assert not Tally.objects.exists()
    assert run.out == ""


@pytest.mark.parametrize(
    ("first_line", "message"),
    [
        (
            "when,country,city,action_type,count,channel,external_id,note",
            "line 1: missing column(s) occurred_at; unknown column(s) when; "
            f"expected header: {HEADER}",
        ),
        (
            GOOD[1],  # the data starts at once
            "line 1: missing column(s) occurred_at, country, action_type, count, external_id; "
            "unknown column(s) 2012-12-10t09:00:00+01:00, poland, warsaw, letter, 14250,",
        ),
        (HEADER + ",count", f"line 1: repeated column(s) count; expected header: {HEADER}"),
        ("", "line 1: the file is empty; expected a header row"),
    ],
    ids=["wrong", "missing", "repeated", "empty"],
)
def test_wrong_or_missing_header_is_reported(
    tmp_path: Path, cast: Cast, campaign: Campaign, first_line: str, message: str
) -> None:
    lines = [first_line, GOOD[1]] if first_line else []
    path = tmp_path / "header.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    run = Run(path, campaign.slug)

    with pytest.raises(CommandError, match=r"^Nothing imported: 1 bad row\(s\) in header\.csv\.$"):
        run("--no-progress")

    assert run.err.startswith(message)
    assert run.err.count("\n") == 1
    assert not Action.objects.exists()


def test_header_in_another_order_without_optional_columns_is_accepted(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    lines = [
        "external_id,count,action_type,country,occurred_at",
        "x-1,5,letter,PL,2012-12-10T10:00Z",
    ]
    path = tmp_path / "short.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode())  # with a BOM, CRLF

    Run(path, campaign.slug)("--no-progress")

    action = Action.objects.get()
    assert (action.external_id, action.count, action.channel) == ("x-1", 5, "paper")


def test_file_that_is_not_utf8_is_reported(tmp_path: Path, cast: Cast, campaign: Campaign) -> None:
    lines = [HEADER, "2012-12-10T09:00:00+01:00,PL,Łódź,letter,10,event,ok-1,Zażółć"]
    run = Run(write_csv(tmp_path / "cp1250.csv", lines, encoding="cp1250"), campaign.slug)

    with pytest.raises(CommandError, match="Nothing imported"):
        run("--no-progress")

    assert re.fullmatch(r"line \d+: the file is not UTF-8 text\n", run.err)
    assert not Action.objects.exists()


def test_reimporting_the_same_file_adds_nothing_and_says_so(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    path = write_csv(tmp_path / "results.csv", GOOD)
    Run(path, campaign.slug)("--no-progress")

    again = Run(path, campaign.slug)("--no-progress")

    assert "Imported 0 new action row(s)" in again.out
    assert "6 were already recorded." in again.out
    assert Action.objects.count() == 6
    assert read_totals(campaign.pk).total == 15607
    assert campaign_report(campaign).total == 15607


def test_a_longer_file_adds_only_its_new_rows(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    Run(write_csv(tmp_path / "first.csv", GOOD[:3]), campaign.slug)("--no-progress")

    run = Run(write_csv(tmp_path / "all.csv", GOOD), campaign.slug)("--no-progress")

    assert "Imported 4 new action row(s)" in run.out
    assert "2 were already recorded." in run.out
    assert Action.objects.count() == 6
    assert read_totals(campaign.pk).total == ledger_total(campaign) == 15607


def test_reimporting_an_external_id_with_changed_values_is_rejected(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    Run(write_csv(tmp_path / "first.csv", GOOD[:2]), campaign.slug)("--no-progress")
    changed = GOOD[1].replace(",14250,", ",14251,")
    lines = [HEADER, GOOD[2], changed]  # a new row, then the changed one
    run = Run(write_csv(tmp_path / "second.csv", lines), campaign.slug)

    with pytest.raises(CommandError, match=r"Nothing imported: 1 bad row\(s\)"):
        run("--no-progress")

    assert run.line_errors() == {
        3: "external_id 'pl-2012-0001' was already recorded with different values"
    }
    assert list(Action.objects.values_list("external_id", "count")) == [("pl-2012-0001", 14250)]
    assert ImportBatch.objects.count() == 1
    assert read_totals(campaign.pk).total == 14250


def test_another_partner_may_reuse_an_external_id(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    other = make_partner(slug="amnesty-japan")
    campaign.partners.add(other)
    path = write_csv(tmp_path / "results.csv", GOOD[:2])
    Run(path, campaign.slug)("--no-progress")

    run = Run(path, campaign.slug, partner="amnesty-japan")("--no-progress")

    assert "Imported 1 new action row(s)" in run.out
    assert Action.objects.filter(external_id="pl-2012-0001").count() == 2


@pytest.mark.parametrize(
    ("campaign_slug", "partner_slug", "message"),
    [
        ("no-such-campaign", "amnesty-poland", "No campaign with slug 'no-such-campaign'."),
        (None, "no-such-partner", "No partner with slug 'no-such-partner'."),
    ],
)
def test_unknown_campaign_or_partner_is_a_clear_error(
    tmp_path: Path,
    cast: Cast,
    campaign: Campaign,
    campaign_slug: str | None,
    partner_slug: str,
    message: str,
) -> None:
    run = Run(
        write_csv(tmp_path / "results.csv", GOOD), campaign_slug or campaign.slug, partner_slug
    )

    with pytest.raises(CommandError, match=f"^{re.escape(message)}$"):
        run("--no-progress")

    assert not Action.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path: Path, cast: Cast, campaign: Campaign) -> None:
    with pytest.raises(CommandError, match=r"nowhere\.csv is not a file\."):
        Run(tmp_path / "nowhere.csv", campaign.slug)("--no-progress")


def test_action_type_not_enabled_for_the_campaign_is_rejected(tmp_path: Path, cast: Cast) -> None:
    petition = make_campaign(partners=[cast.partner], action_types=["signature"])
    run = Run(write_csv(tmp_path / "results.csv", GOOD[:4]), petition.slug)

    with pytest.raises(CommandError, match=r"Nothing imported: 2 bad row\(s\)"):
        run("--no-progress")

    assert run.line_errors() == {
        2: "action_type 'letter' is not enabled for this campaign",
        3: "action_type 'art' is not enabled for this campaign",
    }
    assert not Action.objects.exists()


COUNTRIES = ["PL", "the Czech Republic", "JP", "South Korea", "the UK", "BR", "Nigeria"]


def generated_file(path: Path, rows: int) -> tuple[Path, int]:
    """A file of `rows` distinct rows; returns it and the sum of its counts."""
    lines = [HEADER]
    total = 0
    for n in range(rows):
        count = n % 97 + 1
        total += count
        day = n % 28 + 1
        country = COUNTRIES[n % len(COUNTRIES)]
        lines.append(
            f"2012-12-{day:02d}T{n % 24:02d}:{n % 60:02d}:00+01:00,{country},City {n % 50},"
            f"letter,{count},event,gen-{n:06d},"
        )
    return write_csv(path, lines), total


def test_import_does_not_query_per_row(
    tmp_path: Path,
    cast: Cast,
    campaign: Campaign,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    path, total = generated_file(tmp_path / "2000.csv", 2000)

    # A fixed number: the file is checked and written set-based in a staging table
    # (PostgreSQL), or checked in Python and written 10,000 rows per INSERT (SQLite); a few
    # statements per country in the file (its 7 spellings, their tally shards), the audit
    # entry and the webhook lookup. 2,000 rows one by one would be thousands.
    with django_assert_max_num_queries(24):
        Run(path, campaign.slug)("--no-progress")

    assert Action.objects.count() == 2000
    with django_assert_max_num_queries(24):
        again = Run(path, campaign.slug)("--no-progress")
    assert "2,000 were already recorded" in again.out
    assert read_totals(campaign.pk).total == total


def test_hundred_thousand_rows_import_with_a_progress_bar(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    path, total = generated_file(tmp_path / "100k.csv", 100_000)

    run = Run(path, campaign.slug)()

    assert "Imported 100,000 new action row(s)" in run.out
    assert Action.objects.count() == 100_000
    assert read_totals(campaign.pk).total == ledger_total(campaign) == total
    bars = run.err.split("\r")
    assert any(re.match(r"Checking: 100%.*\| 100000/100000 ", bar) for bar in bars), run.err[-500:]
    assert any(re.match(r"Writing : 100%.*\| 100000/100000 ", bar) for bar in bars), run.err[-500:]
    # tqdm redraws a bar in place ("\r"); a newline after every redraw would scroll the screen.
    # A newline only steps down to the writing bar below (when it is drawn or re-totalled)
    # and leaves the bar at the end: a handful, however many redraws the machine's speed allows.
    checking = [draw for draw in bars if draw.startswith("Checking")]
    assert len(checking) >= 2  # PostgreSQL checks the whole file in a few statements
    assert sum("\n" in draw for draw in checking) <= 5, [d for d in checking if "\n" in d]


def test_text_with_tabs_newlines_and_backslashes_is_stored_as_written(
    tmp_path: Path, cast: Cast, campaign: Campaign
) -> None:
    note = 'Two lines\nwith a\ttab, a back\\slash, \\N and "quotes"'
    city = "Kraków\\Nowa Huta"
    quoted = note.replace('"', '""')
    line = f'2012-12-10T09:00:00+01:00,PL,{city},letter,3,event,odd-1,"{quoted}"'
    Run(write_csv(tmp_path / "odd.csv", [HEADER, line]), campaign.slug)("--no-progress")
    stored = Action.objects.get(external_id="odd-1")
    assert (stored.note, stored.city) == (note, city)
    assert stored.occurred_at == datetime(2012, 12, 10, 8, tzinfo=UTC)
    again = Run(write_csv(tmp_path / "odd.csv", [HEADER, line]), campaign.slug)("--no-progress")
    assert "1 were already recorded" in again.out
