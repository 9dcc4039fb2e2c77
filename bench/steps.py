"""Steps the benchmarks run inside Lantern (Django set up against the benchmark's database).

`python bench/steps.py NAME '{"json": "params"}'` runs one step in a fresh process and
prints its result as one JSON line; `bench/harness.py` calls it. A fresh process per step
keeps each measurement (time, peak memory) to what it measures.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Sum  # noqa: E402

from actions.models import Action, Tally  # noqa: E402
from actions.tallies import read_totals, rebuild_tallies  # noqa: E402
from actions.types import ActionType, Channel, Source  # noqa: E402
from campaigns.models import Campaign  # noqa: E402
from cases.models import AddressPeriod, Case, Facility  # noqa: E402
from lantern.countries import country_names  # noqa: E402
from partners.models import Partner  # noqa: E402

STEPS: dict[str, Any] = {}
START = datetime(2012, 12, 7, tzinfo=UTC)
# 150 countries for the ledger: the first 150 ISO codes Lantern knows.
LEDGER_COUNTRIES = sorted(country_names())[:150]


def step(fn: Any) -> Any:
    STEPS[fn.__name__] = fn
    return fn


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@step
def campaign(slug: str, confirmation: bool = False, partner: str = "") -> dict[str, Any]:
    case = Case.objects.create(
        slug=f"case-{slug}", name="Ales Bialiatski", country="BY", status=Case.Status.SENTENCED
    )
    made = Campaign.objects.create(
        slug=slug,
        title=f"Benchmark {slug}",
        starts_on=date(2012, 12, 7),
        status=Campaign.Status.LIVE,
        action_types=list(ActionType.values),
        requires_confirmation=confirmation,
        petition_target="The Prosecutor General",
        petition_text="Release Ales Bialiatski.\n\nHe defended human rights.",
    )
    made.cases.add(case)
    if partner:
        made.partners.add(
            Partner.objects.create(slug=partner, name=f"Partner {partner}", country="PL")
        )
    return {"campaign_id": made.pk, "case_id": case.pk}


@step
def signing_tally(slug: str) -> dict[str, Any]:
    """What the sign benchmark stored: signatures, their ledger rows, the live totals."""
    campaign = Campaign.objects.get(slug=slug)
    signatures = campaign.signatures.count()
    counted = campaign.signatures.filter(action__isnull=False).count()
    ledger = Action.objects.filter(campaign=campaign).aggregate(n=Sum("count"), rows=Count("pk"))
    distinct_actions = campaign.signatures.values("action_id").distinct().count()
    return {
        "signatures": signatures,
        "counted": counted,
        "ledger_total": int(ledger["n"] or 0),
        "ledger_rows": ledger["rows"],
        "distinct_actions": distinct_actions,
        "tally_total": read_totals(campaign.pk).total,
    }


@step
def ledger_equals_totals(slug: str) -> dict[str, Any]:
    campaign = Campaign.objects.get(slug=slug)
    by_country = dict(
        Action.objects.filter(campaign=campaign)
        .values_list("country")
        .annotate(n=Sum("count"))
        .values_list("country", "n")
        .order_by()
    )
    totals = read_totals(campaign.pk)
    return {
        "ledger_total": sum(by_country.values()),
        "totals_total": totals.total,
        "equal": {c: n for c, n in by_country.items() if n} == dict(totals.by_country),
    }


# --- Proof-of-work: what supporters' browsers solve before they sign -----------------------


def _solved(_: int) -> str:
    import altcha

    from lantern.guard.pow import issue_challenge

    challenge = altcha.Challenge.from_dict(issue_challenge())
    solution = altcha.solve_challenge(challenge, timeout=30)
    assert solution is not None
    return str(altcha.Payload(challenge, solution).to_base64())


@step
def pow_solutions(count: int, out: str) -> dict[str, Any]:
    """`count` challenges as `GET /api/v1/challenge` issues them (the server's own code and
    secret, this run's POW_DIFFICULTY), each solved as the page's widget does, one payload per
    line in `out`. Every core solves; each payload is accepted once by the server."""
    import multiprocessing
    import os

    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        payloads = pool.map(_solved, range(count), chunksize=256)
    Path(out).write_text("\n".join(payloads) + "\n", encoding="ascii")
    return {"count": len(payloads), "seconds": time.perf_counter() - started}


# --- Import -------------------------------------------------------------------------------


@step
def copy_reference(csv_path: str) -> dict[str, Any]:
    """PostgreSQL's COPY of the same CSV rows into a bare table: the import's reference."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bare_actions (occurred_at timestamptz, country text, "
            "city text, action_type text, count integer, channel text, external_id text, "
            "note text)"
        )
        started = time.perf_counter()
        with transaction.atomic():
            raw = cursor.cursor  # psycopg's own cursor
            with (
                raw.copy(
                    "COPY bare_actions (occurred_at, country, city, action_type, count, "
                    "channel, external_id, note) FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
                open(csv_path, "rb") as data,
            ):
                while chunk := data.read(1 << 20):
                    copy.write(chunk)
        seconds = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bare_actions")
        rows = cursor.fetchone()[0]
    return {"rows": rows, "seconds": seconds}


@step
def import_check(slug: str, partner: str) -> dict[str, Any]:
    campaign = Campaign.objects.get(slug=slug)
    rows = Action.objects.filter(campaign=campaign, partner__slug=partner)
    return {
        "rows": rows.count(),
        "with_batch": rows.filter(import_batch__isnull=False).count(),
        "total": int(rows.aggregate(n=Sum("count"))["n"] or 0),
        "tally_total": read_totals(campaign.pk).total,
    }


# --- Report -------------------------------------------------------------------------------


def _ledger_sql_postgres(campaign_id: int, case_id: int, partners: list[int], rows: int) -> str:
    countries = "ARRAY[" + ",".join(f"'{c}'" for c in LEDGER_COUNTRIES) + "]"
    types = "ARRAY['signature','letter','card','event','art','photo','other']"
    partner_ids = "ARRAY[" + ",".join(str(p) for p in partners) + "]::bigint[]"
    # A marathon of 14 days; country picked with a skew (square) so that a few are busy.
    return f"""
        INSERT INTO actions_action (campaign_id, case_id, action_type, count, country, city,
            occurred_at, utc_offset_minutes, channel, partner_id, source, import_batch_id,
            recorded_by_id, external_id, note, created_at)
        SELECT {campaign_id}, {case_id},
            ({types})[1 + (g % 7)],
            CASE WHEN g % 100003 = 0 THEN -1 ELSE 1 + (g % 3) END,
            ({countries})[1 + floor(150 * power(random(), 2))::int],
            '',
            timestamptz '{START.isoformat()}' + random() * interval '14 days',
            0,
            'online',
            CASE WHEN g % 4 = 0 THEN ({partner_ids})[1 + (g / 4) % {len(partners)}] END,
            CASE WHEN g % 100003 = 0 THEN 'correction' ELSE 'web' END,
            NULL, NULL, NULL, '', now()
        FROM generate_series(1, {rows}) AS g
    """


def _ledger_sqlite(campaign_id: int, case_id: int, partners: list[int], rows: int) -> None:
    """The same ledger on SQLite, generated by a recursive CTE inside SQLite."""
    start = int(START.timestamp())
    partner_case = " ".join(f"WHEN {n} THEN {p}" for n, p in enumerate(partners))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_countries (n INTEGER PRIMARY KEY, code TEXT)")
        cursor.execute(
            "INSERT INTO bench_countries (n, code) SELECT key, value FROM json_each(%s)",
            [json.dumps(LEDGER_COUNTRIES)],
        )
        cursor.execute("CREATE TEMP TABLE bench_types (n INTEGER PRIMARY KEY, code TEXT)")
        cursor.execute(
            "INSERT INTO bench_types (n, code) SELECT key, value FROM json_each(%s)",
            [json.dumps(list(ActionType.values))],
        )
        cursor.execute(
            f"""
            INSERT INTO actions_action (campaign_id, case_id, action_type, count, country, city,
                occurred_at, utc_offset_minutes, channel, partner_id, source, import_batch_id,
                recorded_by_id, external_id, note, created_at)
            WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {rows}),
            r(n, u, v) AS (
                SELECT n, (abs(random()) % 1000000) / 1000000.0, abs(random()) % 1209600000
                FROM g
            )
            SELECT {campaign_id}, {case_id},
                (SELECT code FROM bench_types WHERE bench_types.n = r.n % 7),
                CASE WHEN r.n % 100003 = 0 THEN -1 ELSE 1 + r.n % 3 END,
                (SELECT code FROM bench_countries c WHERE c.n = CAST(150 * u * u AS INTEGER)),
                '',
                strftime('%Y-%m-%d %H:%M:%f', {start} + v / 1000.0, 'unixepoch'),
                0, 'online',
                CASE WHEN r.n % 4 = 0 THEN CASE (r.n / 4) % {len(partners)} {partner_case} END END,
                CASE WHEN r.n % 100003 = 0 THEN 'correction' ELSE 'web' END,
                NULL, NULL, NULL, '', strftime('%Y-%m-%d %H:%M:%f', 'now')
            FROM r
            """
        )


def _without_indexes(fn: Any) -> None:
    """Run `fn` with the ledger's secondary indexes dropped, then build them again."""
    table = Action._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexname NOT LIKE %s",
                [table, "%_pkey"],
            )
            indexes = cursor.fetchall()
            # Constraints backed by an index are kept; plain indexes go and come back.
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", [table]
            )
            constraints = {name for (name,) in cursor.fetchall()}
            indexes = [(name, sql) for name, sql in indexes if name not in constraints]
            for name, _sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET session_replication_role = replica")  # no FK triggers per row
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        fn()
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
        for _name, sql in indexes:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute(f'ANALYZE "{table}"')


@step
def ledger(slug: str, rows: int) -> dict[str, Any]:
    """A ledger of `rows` actions across 150 countries, then its tallies and roll-up."""
    made = campaign(slug)
    partners = [
        Partner.objects.create(slug=f"{slug}-p{n}", name=f"Partner {n}", country="PL").pk
        for n in range(5)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            sql = _ledger_sql_postgres(made["campaign_id"], made["case_id"], partners, rows)
            _without_indexes(lambda: connection.cursor().execute(sql))
        else:
            _without_indexes(
                lambda: _ledger_sqlite(made["campaign_id"], made["case_id"], partners, rows)
            )
    generated = time.perf_counter() - started
    started = time.perf_counter()
    rebuild_tallies(made["campaign_id"])
    tallied = time.perf_counter() - started
    result = {"generate_s": generated, "tallies_s": tallied}
    result.update(rollup(slug))
    return result


@step
def rollup(slug: str) -> dict[str, Any]:
    """Build the report's roll-up from the ledger (what `rebuild_rollup` does)."""
    try:
        from reports.rollup import rebuild_rollup
    except ImportError:  # before the roll-up existed: nothing to build
        return {"rollup_s": 0.0}
    started = time.perf_counter()
    rebuild_rollup(Campaign.objects.get(slug=slug))
    return {"rollup_s": time.perf_counter() - started}


@step
def report(slug: str, repeat: int = 3, reference: bool = True) -> dict[str, Any]:
    """Time `campaign_report` and a plain GROUP BY over the ledger; check they agree."""
    from reports.services import campaign_report

    campaign = Campaign.objects.get(slug=slug)
    table = Action._meta.db_table
    group_by = f"SELECT country, SUM(count) FROM {table} WHERE campaign_id = %s GROUP BY country"
    group_times, report_times = [], []
    plain: dict[str, int] = {}
    answer = None
    for _ in range(repeat):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(group_by, [campaign.pk])
            plain = {c: int(n) for c, n in cursor.fetchall() if n}
        group_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        answer = campaign_report(campaign)
        report_times.append(time.perf_counter() - started)
    assert answer is not None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT action_type, SUM(count) FROM {table} WHERE campaign_id = %s "
            "GROUP BY action_type",
            [campaign.pk],
        )
        by_type = {t: int(n) for t, n in cursor.fetchall() if n}
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE campaign_id = %s", [campaign.pk])
        rows = cursor.fetchone()[0]
    # The same report from the raw ledger rows, as before the roll-up: its time, and whether
    # the roll-up's report equals it in every figure (busiest 24 hours included).
    try:
        from reports.services import report_from_ledger
    except ImportError:  # before the roll-up, campaign_report was this
        report_from_ledger = campaign_report
    started = time.perf_counter()
    from_rows = report_from_ledger(campaign) if reference else None
    reference_s = time.perf_counter() - started
    return {
        "rows": rows,
        "reference_s": reference_s,
        "equals_reference": from_rows == answer if reference else None,
        "countries": len(plain),
        "total": answer.total,
        "group_by_s": sorted(group_times)[len(group_times) // 2],
        "report_s": sorted(report_times)[len(report_times) // 2],
        "report_first_s": report_times[0],
        "equal": answer.by_country == dict(sorted(plain.items(), key=lambda kv: (-kv[1], kv[0])))
        and answer.total == sum(plain.values())
        and answer.by_type == dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


# --- PDFs ---------------------------------------------------------------------------------


@step
def petition_setup(slug: str, signers: int) -> dict[str, Any]:
    from lantern.privacy import email_dedupe_hash
    from petitions.models import Signature
    from petitions.services import freeze_petition

    made = campaign(slug)
    rng = random.Random(7)
    first = ["Zofia", "Алесь", "Marta", "Yuki", "Ольга", "Jan", "Anna", "佐藤", "Taras", "Léa"]
    last = ["Łukasiewicz", "Бяляцкі", "Nowak", "Tanaka", "Коваль", "Novák", "Schmidt", "Dubois"]
    actions = [
        Action(
            campaign_id=made["campaign_id"],
            case_id=made["case_id"],
            action_type=ActionType.SIGNATURE,
            count=1,
            country=rng.choice(["PL", "BY", "JP", "UA", "CZ", "DE", "FR"]),
            occurred_at=START + timedelta(seconds=n),
            channel=Channel.ONLINE,
            source=Source.WEB,
        )
        for n in range(signers)
    ]
    with transaction.atomic():
        Action.objects.bulk_create(actions, batch_size=5000)
        Signature.objects.bulk_create(
            (
                Signature(
                    campaign_id=made["campaign_id"],
                    name=f"{rng.choice(first)} {rng.choice(last)}",
                    name_display=Signature.NameDisplay.FULL
                    if n % 10
                    else Signature.NameDisplay.INITIALS,
                    country=action.country,
                    consent_letter=True,
                    email_hash=email_dedupe_hash(f"signer{n}@example.org"),
                    email_sealed=b"",
                    action=action,
                )
                for n, action in enumerate(actions)
            ),
            batch_size=5000,
        )
        rebuild_tallies(made["campaign_id"])
    delivery = freeze_petition(Campaign.objects.get(pk=made["campaign_id"]), None, place="Oslo")
    return {"delivery_id": delivery.pk}


def _built(job_model: Any, task: Any, pk: int) -> dict[str, Any]:
    """Run a PDF task's own code here, timed; the PDF's state and size, the peak RSS."""
    started = time.perf_counter()
    task.call(pk)
    seconds = time.perf_counter() - started
    job = job_model.objects.get(pk=pk)
    return {
        "seconds": seconds,
        "peak_rss_mib": peak_rss_mib(),
        "state": job.pdf_state,
        "bytes": job.pdf.size if job.pdf else 0,
    }


@step
def petition_build(delivery_id: int) -> dict[str, Any]:
    from petitions.models import PetitionDelivery
    from petitions.tasks import build_petition_pdf

    return _built(PetitionDelivery, build_petition_pdf, delivery_id)


@step
def mail_setup(letters: int) -> dict[str, Any]:
    from letters.models import Letter, Translation
    from mail.services import build_batch

    facility = Facility.objects.create(
        name="Penal colony No. 2, Babruysk",
        country="BY",
        kind=Facility.Kind.PENAL_COLONY,
        accepted_languages=["be", "ru"],
    )
    made = campaign("mail-bench")
    cases = []
    for n in range(50):
        case = Case.objects.create(
            slug=f"mail-case-{n}", name=f"Prisoner {n}", country="BY", status="sentenced"
        )
        AddressPeriod.objects.create(
            case=case,
            facility=facility,
            valid_from=date(2012, 1, 24),
            address_lines="213800, Беларусь\nг. Бобруйск, ул. Камышовая, 2\nИК-2",
            recipient_line=f"Prisoner {n}, 1962 г.р.",
        )
        cases.append(case)
    text = (
        "Dear friend,\nwe think of you every day and we write to say that you are not "
        "forgotten. Greetings from Warsaw, where the marathon gathered many people.\n"
    ) * 4
    with transaction.atomic():
        for n in range(letters):
            letter = Letter.objects.create(
                campaign_id=made["campaign_id"],
                case=cases[n % len(cases)],
                text=text,
                language="en",
                author_name=f"Zofia Łukasiewicz {n}",
                author_country="PL",
                status=Letter.Status.TRANSLATED,
            )
            Translation.objects.create(
                letter=letter,
                language="ru",
                text="Дорогой друг,\nмы думаем о вас каждый день. Привет из Варшавы.\n" * 4,
            )
    batch = build_batch(facility, None)
    return {"batch_id": batch.pk, "letters": batch.items.count()}


@step
def mail_build(batch_id: int) -> dict[str, Any]:
    from mail.models import MailBatch
    from mail.tasks import build_batch_pdf

    return _built(MailBatch, build_batch_pdf, batch_id)


@step
def tally_rows(slug: str) -> dict[str, Any]:
    return {"rows": Tally.objects.filter(campaign__slug=slug).count()}


if __name__ == "__main__":
    name, params = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    result = STEPS[name](**params)
    print(json.dumps(result, default=str))
