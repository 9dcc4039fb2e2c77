"""Lantern's benchmarks: `make bench` runs them all, `bench/run.py --only NAME` one.

Each benchmark starts what it measures as production runs it (`manage.py serve`, production
settings, on loopback), on SQLite and on PostgreSQL, drives it with wrk, and prints its
figures with a ceiling measured in the same run, so that every figure is also a ratio that
holds on a noisy machine. Benchmarks never fail on a time; they exit non-zero when a
correctness check fails (lost or duplicated rows, totals that differ from the ledger).
The output is plain text with Markdown tables, ready to paste into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import re
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    Database,
    Load,
    ceiling,
    database,
    lantern_server,
    manage,
    postgres_available,
    ratio,
    say,
    shared_databases,
    table,
    task,
    wrk,
)


@dataclass(frozen=True)
class Size:
    sign_seconds: float
    ceiling_seconds: float
    counter_seconds: float
    import_rows: int
    ledger_rows: int
    petition_names: int
    mail_letters: int
    scaleout_seconds: float


FULL = Size(30, 10, 15, 1_000_000, 10_000_000, 100_000, 1_000, 20)
TINY = Size(1, 1, 1, 2_000, 20_000, 200, 10, 1)


def vendors(args: argparse.Namespace) -> list[str]:
    chosen = args.db.split(",")
    if "postgresql" in chosen and not postgres_available():
        say("PostgreSQL is not reachable (BENCH_POSTGRES_URL): its runs are skipped.")
        chosen = [v for v in chosen if v != "postgresql"]
    return chosen


def failures(checks: dict[str, bool]) -> list[str]:
    return [name for name, ok in checks.items() if not ok]


# --- 1. Signing ---------------------------------------------------------------------------


def csrf_pair(base: str, slug: str) -> tuple[str, str]:
    """The CSRF cookie and form token from one GET of the campaign page."""
    with urllib.request.urlopen(f"{base}/campaigns/{slug}/", timeout=30) as response:  # noqa: S310 - loopback
        html = response.read().decode()
        cookie_header = response.headers.get_all("Set-Cookie") or []
    cookie = next(m.group(1) for h in cookie_header if (m := re.match(r"csrftoken=([^;]+)", h)))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None, "the campaign page has no sign form"
    return cookie, token.group(1)


# Proof-of-work payloads solved per second of a sign load (each is spent once): more than the
# server can sign on this kind of machine, so that the pool never runs dry.
SIGN_POOL_RATE = int(os.environ.get("BENCH_SIGN_POOL_RATE", "3000"))
_addresses = itertools.count(1)


def supporter_address() -> str:
    """A new client address for every request of the whole run (10.0.0.1, 10.0.0.2, ...)."""
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def write_requests(
    db: Database, slug: str, run: str, *, seconds: float, connections: int, token: str
) -> tuple[str, int]:
    """What a population of real browsers sends, one request per line ("address TAB body"),
    split into one file per wrk thread: a unique email, a fresh client address (through the
    trusted proxy), the empty honeypot and a proof-of-work payload solved beforehand."""
    count = max(200, round(seconds * min(SIGN_POOL_RATE, 250 * connections)))
    pool = db.var_dir / f"pow-{slug}-{run}.txt"
    task(db, "pow_solutions", count=count, out=str(pool))
    payloads = pool.read_text(encoding="ascii").split()
    threads = min(2, connections)
    prefix = str(db.var_dir / f"requests-{slug}-{run}")
    lines: list[list[str]] = [[] for _ in range(threads)]
    for n, payload in enumerate(payloads):
        body = (
            f"csrfmiddlewaretoken={token}&name=Signer+{n}&name_display=full"
            f"&email=s{run}-{n}%40example.org&country={COUNTRIES[n % len(COUNTRIES)]}"
            f"&city=Warsaw&consent_letter=on&website=&altcha={quote(payload, safe='')}"
        )
        lines[n % threads].append(f"{supporter_address()}\t{body}\n")
    for t, chunk in enumerate(lines):
        Path(f"{prefix}.{t + 1}").write_text("".join(chunk), encoding="ascii")
    return prefix, threads


COUNTRIES = ["PL", "DE", "FR", "JP", "BY", "UA", "GB", "US", "CZ", "SE"]


def prepare_sign(
    db: Database, base: str, slug: str, run: str, *, seconds: float, connections: int
) -> Callable[[], Load]:
    """Everything a sign load needs solved and written beforehand; call the result to run it."""
    cookie, token = csrf_pair(base, slug)
    prefix, threads = write_requests(
        db, slug, run, seconds=seconds, connections=connections, token=token
    )
    return partial(
        wrk,
        f"{base}/campaigns/{slug}/sign/",
        "sign.lua",
        seconds=seconds,
        connections=connections,
        threads=threads,
        env={
            "BENCH_PATH": f"/campaigns/{slug}/sign/",
            "BENCH_COOKIE": cookie,
            "BENCH_REQUESTS": prefix,
        },
    )


def sign_load(
    db: Database, base: str, slug: str, run: str, *, seconds: float, connections: int
) -> Load:
    return prepare_sign(db, base, slug, run, seconds=seconds, connections=connections)()


def mostly_signed(load: Load) -> bool:
    """Most responses are successes (302): a run the server refused never passes as fast."""
    return load.requests > 0 and load.count(302) > load.requests / 2


def check_signatures(db: Database, slug: str, successes: int, in_flight: int) -> dict[str, bool]:
    stored = task(db, "signing_tally", slug=slug)
    return {
        "every success stored (none lost)": stored["signatures"] >= successes,
        "no more stored than successes + requests cut at the end": stored["signatures"]
        <= successes + in_flight,
        "one ledger row per signature (none duplicated)": stored["ledger_rows"]
        == stored["counted"]
        == stored["signatures"]
        == stored["distinct_actions"],
        "live totals equal the ledger": stored["tally_total"] == stored["ledger_total"],
    }


def bench_sign(args: argparse.Namespace, size: Size, log_dir: Path) -> list[str]:
    say("## 1. Signing: POST /campaigns/<slug>/sign/ (form, CSRF, guard, durable commit)")
    say()
    before = {c: ceiling(log_dir, seconds=size.ceiling_seconds, connections=c) for c in (16, 64)}
    loads: list[tuple[str, int, Load]] = []
    problems: list[str] = []
    for vendor in vendors(args):
        with database(vendor) as db:
            task(db, "campaign", slug="sign")
            with lantern_server(db, path="/campaigns/sign/") as server:
                total_ok, in_flight = 0, 0
                if size.sign_seconds > 5:  # warm the workers up before measuring
                    warm = sign_load(db, server.base, "sign", "warm", seconds=2, connections=16)
                    total_ok += warm.count(302)
                    in_flight += 16
                for connections in (16, 64):
                    load = sign_load(
                        db,
                        server.base,
                        "sign",
                        f"c{connections}",
                        seconds=size.sign_seconds,
                        connections=connections,
                    )
                    total_ok += load.count(302)
                    in_flight += connections
                    if not mostly_signed(load):
                        problems.append(
                            f"signing on {db.label} at {connections} clients: only "
                            f"{load.count(302)} of {load.requests} responses were 302 "
                            f"({load.statuses})"
                        )
                    loads.append((db.label, connections, load))
            checks = check_signatures(db, "sign", total_ok, in_flight)
            problems += [f"signing on {db.label}: {name}" for name in failures(checks)]
    # Measured again after the loads: a ceiling run that met a noisy moment must not make
    # Lantern look fast. The higher of the two is each ratio's reference.
    after = {c: ceiling(log_dir, seconds=size.ceiling_seconds, connections=c) for c in (16, 64)}
    refs = {c: max(before[c], after[c], key=lambda ref: ref.rate_of(200)) for c in (16, 64)}
    rows, cpu_rows = [], []
    for label, connections, load in loads:
        ref = refs[connections]
        errors = load.requests - load.count(302) + load.socket_errors
        cpu_rows.append(cpu_row(label, connections, load, ref))
        rows.append(
            [
                label,
                str(connections),
                f"{load.rate_of(302):,.0f}",
                f"{ref.rate_of(200):,.0f}",
                ratio(load.rate_of(302), ref.rate_of(200)),
                f"{load.p50_ms:.1f}",
                f"{load.p99_ms:.1f}",
                str(errors),
            ]
        )
    say(
        table(
            [
                "database",
                "clients",
                "signatures/s",
                "ceiling req/s",
                "ratio",
                "p50 ms",
                "p99 ms",
                "errors",
            ],
            rows,
        )
    )
    say()
    say(
        "The ceiling, measured before and after the loads (req/s at 16 / 64 clients): "
        + " / ".join(f"{before[c].rate_of(200):,.0f}" for c in (16, 64))
        + " before, "
        + " / ".join(f"{after[c].rate_of(200):,.0f}" for c in (16, 64))
        + " after; the higher of each is the ratio's reference."
    )
    say()
    say(
        "Stored rows checked against the successes (302) on each database: "
        + ("all equal (none lost, none duplicated)." if not problems else "; ".join(problems))
    )
    say()
    if any(row[2] for row in cpu_rows):
        say(
            "Where the machine's CPU went, in milliseconds per signature (/proc, during each "
            "load; 'other': the kernel's loopback network work and everything else). Half the "
            "ceiling's rate, when the two cores are busy, leaves a signature twice the "
            "reference's CPU per request:"
        )
        say()
        say(table(CPU_HEADERS, cpu_rows))
        say()
    return problems


CPU_HEADERS = [
    "database",
    "clients",
    "server",
    "PostgreSQL",
    "Redis",
    "wrk",
    "other",
    "all",
    "ceiling's all, per request",
    "busy cores",
]


def cpu_row(label: str, connections: int, load: Load, ref: Load) -> list[str]:
    cpu = load.cpu_ms
    if not cpu:
        return [label, str(connections), *([""] * (len(CPU_HEADERS) - 2))]
    cores = cpu["all"] * load.requests / load.seconds / 1000
    return [
        label,
        str(connections),
        *(f"{cpu.get(g, 0.0):.2f}" for g in ("server", "PostgreSQL", "Redis", "wrk", "other")),
        f"{cpu['all']:.2f}",
        f"{ref.cpu_ms.get('all', 0.0):.2f}",
        f"{cores:.2f}",
    ]


# --- 2. Counter reads ---------------------------------------------------------------------


def http_json(url: str) -> dict[str, object]:
    import json

    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        return dict(json.load(response))


def bench_counter(args: argparse.Namespace, size: Size, log_dir: Path) -> list[str]:
    say("## 2. Live counter reads: GET /api/v1/campaigns/<slug>/totals")
    say()
    ref = ceiling(log_dir, seconds=size.ceiling_seconds, connections=64)
    rows, problems = [], []
    for vendor in vendors(args):
        with database(vendor) as db:
            task(db, "campaign", slug="counter")
            path = "/api/v1/campaigns/counter/totals"
            with lantern_server(db, path=path) as server:
                # Signatures keep coming in while the counter is read (as on a busy day)...
                signer = threading.Thread(
                    target=sign_load,
                    args=(db, server.base, "counter", "bg"),
                    kwargs={"seconds": size.counter_seconds + 2, "connections": 2},
                )
                signer.start()
                wrk(
                    server.base + path,
                    "get.lua",
                    seconds=2,
                    connections=64,
                    env={"BENCH_PATH": path},
                )
                load = wrk(
                    server.base + path,
                    "get.lua",
                    seconds=size.counter_seconds,
                    connections=64,
                    env={"BENCH_PATH": path},
                )
                signer.join()
                # ...then, once quiet, every worker's answer equals the ledger.
                time.sleep(float(os.environ.get("COUNTER_CACHE_SECONDS", "1")) + 1.5)
                ledger = task(db, "ledger_equals_totals", slug="counter")
                answers = {int(str(http_json(server.base + path)["total"])) for _ in range(20)}
            ok = answers == {ledger["ledger_total"]} and ledger["equal"]
            if not ok:
                problems.append(
                    f"counter on {db.label}: served {sorted(answers)}, "
                    f"ledger {ledger['ledger_total']}"
                )
            rows.append(
                [
                    db.label,
                    f"{load.rate_of(200):,.0f}",
                    f"{ref.rate_of(200):,.0f}",
                    ratio(load.rate_of(200), ref.rate_of(200)),
                    f"{load.p50_ms:.1f}",
                    f"{load.p99_ms:.1f}",
                    str(load.requests - load.count(200) + load.socket_errors),
                    "yes" if ok else "NO",
                ]
            )
    say(
        table(
            [
                "database",
                "reads/s (64 clients)",
                "ceiling req/s",
                "ratio",
                "p50 ms",
                "p99 ms",
                "errors",
                "= ledger when quiet",
            ],
            rows,
        )
    )
    say()
    say("Signatures were being made (2 clients) during the reads.")
    say()
    return problems


# --- 3. Import ----------------------------------------------------------------------------

COUNTRY_NAMES = ["PL", "Poland", "JP", "the Czech Republic", "DE", "FR", "UA", "BY", "SE", "GB"]


def write_csv(path: Path, rows: int) -> int:
    """A partner's CSV of `rows` action reports; returns the sum of their counts."""
    start = datetime(2012, 12, 7, tzinfo=UTC)
    types = ["signature", "letter", "card", "event", "art", "photo", "other"]
    total = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("occurred_at,country,city,action_type,count,channel,external_id,note\n")
        lines = []
        for n in range(rows):
            at = (start + timedelta(seconds=n * 1.3)).isoformat()
            count = 1 + n % 50
            total += count
            lines.append(
                f"{at},{COUNTRY_NAMES[n % 10]},Warsaw,{types[n % 7]},{count},paper,"
                f"row-{n},Letters written in schools\n"
            )
            if len(lines) == 50_000:
                out.writelines(lines)
                lines = []
        out.writelines(lines)
    return total


def timed_import(db: Database, path: Path, slug: str, partner: str) -> tuple[float, str]:
    """The whole `manage.py import_actions` command, timed; what it printed."""
    started = time.perf_counter()
    out = manage(db, "import_actions", str(path), "--campaign", slug, "--partner", partner)
    return time.perf_counter() - started, out.strip()


def bench_import(args: argparse.Namespace, size: Size, log_dir: Path) -> list[str]:
    say(f"## 3. Import: {size.import_rows:,} rows through manage.py import_actions")
    say()
    path = log_dir / "actions.csv"
    expected_total = write_csv(path, size.import_rows)
    rows, problems = [], []
    for vendor in vendors(args):
        with database(vendor) as db:
            task(db, "campaign", slug="import", partner="importer")
            seconds, _ = timed_import(db, path, "import", "importer")
            again, message = timed_import(db, path, "import", "importer")
            check = task(db, "import_check", slug="import", partner="importer")
            copy = (
                task(db, "copy_reference", csv_path=str(path)) if vendor == "postgresql" else None
            )
            ok = (
                check["rows"] == check["with_batch"] == size.import_rows
                and check["total"] == check["tally_total"] == expected_total
                and "0 new" in message
            )
            if not ok:
                problems.append(f"import on {db.label}: {check}, second run: {message}")
            rate = size.import_rows / seconds
            rows.append(
                [
                    db.label,
                    f"{seconds:.1f}",
                    f"{rate:,.0f}",
                    f"{size.import_rows / copy['seconds']:,.0f}" if copy else "(PostgreSQL only)",
                    ratio(rate, size.import_rows / copy["seconds"]) if copy else "",
                    f"{again:.1f}",
                    "yes" if ok else "NO",
                ]
            )
    say(
        table(
            [
                "database",
                "import s",
                "rows/s",
                "COPY rows/s",
                "ratio to COPY",
                "re-import s (0 new)",
                "rows and tallies exact",
            ],
            rows,
        )
    )
    say()
    say(
        "The import's time is the whole command (start-up, checking every row, writing, "
        "tallies, progress bars); COPY loads the same file into a bare table without checks."
    )
    say()
    return problems


# --- 4. Report ----------------------------------------------------------------------------


def bench_report(args: argparse.Namespace, size: Size, log_dir: Path) -> list[str]:
    say(f"## 4. Report: campaign_report on {size.ledger_rows:,} actions in 150 countries")
    say()
    rows, problems = [], []
    for vendor in vendors(args):
        with database(vendor) as db:
            built = task(db, "ledger", slug="report", rows=size.ledger_rows)
            # The report from raw rows (the "before") takes minutes at full size: PostgreSQL
            # only, where production runs; SQLite checks its report against the GROUP BYs.
            timed = task(db, "report", slug="report", reference=vendor == "postgresql")
            if not timed["equal"]:
                problems.append(f"report on {db.label} differs from the ledger's GROUP BY")
            if timed["equals_reference"] is False:
                problems.append(f"report on {db.label} differs from the report from raw rows")
            rows.append(
                [
                    db.label,
                    f"{timed['rows']:,}",
                    f"{timed['report_s'] * 1000:,.1f}",
                    f"{timed['group_by_s'] * 1000:,.0f}",
                    f"{timed['group_by_s'] / timed['report_s']:,.1f}",
                    f"{timed['reference_s']:.1f}" if timed["equals_reference"] is not None else "",
                    f"{built['rollup_s']:.1f}",
                    "yes" if timed["equal"] and timed["equals_reference"] is not False else "NO",
                ]
            )
    say(
        table(
            [
                "database",
                "ledger rows",
                "report ms",
                "plain GROUP BY ms",
                "GROUP BY / report",
                "from raw rows s",
                "roll-up build s",
                "= ledger",
            ],
            rows,
        )
    )
    say()
    say(
        "Report and GROUP BY: the median of 3 runs each. The GROUP BY sums the ledger by "
        "country (one of the report's many figures). 'From raw rows': the same report "
        "computed from the ledger rows as before the roll-up (reports.services."
        "report_from_ledger), once; '= ledger': the report equals it in every figure, and "
        "equals the GROUP BYs by country and type."
    )
    say()
    return problems


# --- 5. PDFs ------------------------------------------------------------------------------


def bench_pdf(args: argparse.Namespace, size: Size, log_dir: Path) -> list[str]:
    say("## 5. PDFs: petition delivery and mail batch (seconds, peak RSS of the process)")
    say()
    vendor = "postgresql" if "postgresql" in vendors(args) else "sqlite"
    rows, problems = [], []
    with database(vendor) as db:
        setup = task(db, "petition_setup", slug="petition", signers=size.petition_names)
        petition = task(db, "petition_build", delivery_id=setup["delivery_id"])
        mail = task(db, "mail_setup", letters=size.mail_letters)
        batch = task(db, "mail_build", batch_id=mail["batch_id"])
    for name, result in (
        (f"petition delivery, {size.petition_names:,} names", petition),
        (f"mail batch, {size.mail_letters:,} letters with translations", batch),
    ):
        if result["state"] != "ready":
            problems.append(f"{name}: the PDF is {result['state']}")
        rows.append(
            [
                name,
                f"{result['seconds']:.1f}",
                f"{result['peak_rss_mib']:,.0f}",
                f"{result['bytes'] / 1e6:.1f}",
            ]
        )
    say(table(["PDF", "seconds", "peak RSS MiB", "PDF MB"], rows))
    say()
    say(f"Built by the background tasks' own code, on {Database(vendor, log_dir).label}.")
    say()
    return problems


# --- 6. Scale-out -------------------------------------------------------------------------


def bench_scaleout(args: argparse.Namespace, size: Size, log_dir: Path) -> list[str]:
    say("## 6. Scale-out: two server groups, one PostgreSQL, signing at once")
    say()
    if "postgresql" not in vendors(args):
        say("Skipped: needs PostgreSQL.")
        say()
        return []
    problems: list[str] = []
    with database("postgresql") as db:
        task(db, "campaign", slug="scale")
        path = "/campaigns/scale/"
        with lantern_server(db, path=path) as one, lantern_server(db, path=path) as two:
            loads: dict[str, Load] = {}

            def drive(name: str, base: str) -> None:
                loads[name] = sign_load(
                    db, base, "scale", f"g{name}", seconds=size.scaleout_seconds, connections=32
                )

            threads = [
                threading.Thread(target=drive, args=(n, s.base))
                for n, s in (("a", one), ("b", two))
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            time.sleep(float(os.environ.get("COUNTER_CACHE_SECONDS", "1")) + 1.5)
            served = {
                int(str(http_json(s.base + "/api/v1/campaigns/scale/totals")["total"]))
                for s in (one, two)
                for _ in range(10)
            }
        successes = sum(load.count(302) for load in loads.values())
        checks = check_signatures(db, "scale", successes, 64)
        for name, load in loads.items():
            checks[f"group {name}: most responses are successes"] = mostly_signed(load)
        stored = task(db, "signing_tally", slug="scale")
        checks["both groups serve the ledger's total"] = served == {stored["ledger_total"]}
        problems += [f"scale-out: {name}" for name in failures(checks)]
    rate = {n: load.rate_of(302) for n, load in loads.items()}
    say(
        table(
            ["group", "signatures/s (32 clients)", "errors"],
            [
                [n, f"{rate[n]:,.0f}", str(loads[n].requests - loads[n].count(302))]
                for n in sorted(loads)
            ]
            + [["both", f"{sum(rate.values()):,.0f}", ""]],
        )
    )
    say()
    say(
        f"Stored: {stored['signatures']:,} signatures, {stored['ledger_rows']:,} ledger rows, "
        f"live total {stored['tally_total']:,}; successes {successes:,}. "
        + ("Totals exact." if not problems else "; ".join(problems))
    )
    say()
    return problems


BENCHMARKS: dict[str, Callable[[argparse.Namespace, Size, Path], list[str]]] = {
    "sign": bench_sign,
    "counter": bench_counter,
    "import": bench_import,
    "report": bench_report,
    "pdf": bench_pdf,
    "scaleout": bench_scaleout,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--tiny", action="store_true", help="tiny sizes: checks the harness")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=N",
        help=f"override one size ({', '.join(Size.__dataclass_fields__)})",
    )
    args = parser.parse_args()
    size = TINY if args.tiny else FULL
    for item in args.set:
        name, _, value = item.partition("=")
        size = replace(size, **{name: type(getattr(size, name))(value)})
    names = args.only or list(BENCHMARKS)
    started = time.monotonic()
    say(f"# Lantern benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    say()
    say(
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f} at the start. Ceiling: a minimal Django view "
        "under gunicorn, 4 workers x 4 threads, measured in this run; ratio = Lantern / ceiling."
    )
    say()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as tmp, shared_databases(args.tiny):
        for name in names:
            problems += BENCHMARKS[name](args, size, Path(tmp))
    say(f"Finished in {time.monotonic() - started:,.0f} s.")
    if problems:
        say("CORRECTNESS FAILED:")
        for problem in problems:
            say(f"- {problem}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
