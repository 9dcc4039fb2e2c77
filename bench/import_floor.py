"""The import's physical floor on PostgreSQL: `bench/import_floor.py [ROWS]`.

In one new, migrated database, side by side: COPY of the partner CSV into a bare table (the
import target's reference), then COPY of the same rows, already in the ledger's shape, into
copies of `actions_action`: with every index and constraint the ledger has, without its
foreign keys, and with only the indexes that the migrations leave. Each figure is the best
of `BENCH_REPEAT` (default 2) runs, each in its own transaction, rolled back (foreign keys
checked at the end of the COPY). It tells how
much of the import's time the table itself costs, whatever the code does.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import database, say, task  # noqa: E402
from run import write_csv  # noqa: E402

CSV_COLUMNS = "occurred_at, country, city, action_type, count, channel, external_id, note"
LEDGER = (
    "campaign_id, case_id, action_type, count, country, city, occurred_at, utc_offset_minutes, "
    "channel, partner_id, source, import_batch_id, recorded_by_id, external_id, note, created_at"
)


def _best(conn: psycopg.Connection, setup: str, copy_sql: str, data: bytes) -> float:
    times = []
    for _ in range(int(os.environ.get("BENCH_REPEAT", "2"))):
        with conn.transaction(force_rollback=True):
            if setup:
                conn.execute(setup.encode())
            started = time.perf_counter()
            with conn.cursor().copy(copy_sql.encode()) as copy:
                for start in range(0, len(data), 1 << 20):
                    copy.write(data[start : start + (1 << 20)])
            times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with database("postgresql") as db, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "actions.csv"
        write_csv(path, rows)
        made = task(db, "campaign", slug="floor", partner="floor")
        raw = path.read_bytes()
        with psycopg.connect(db.url, autocommit=True) as conn:
            partner = conn.execute("SELECT id FROM partners_partner").fetchone()[0]  # type: ignore[index] # one row
            conn.execute(
                "INSERT INTO actions_importbatch (campaign_id, partner_id, filename, sha256, "
                "rows_in_file, rows_added, created_at) VALUES (%s, %s, 'f', '', 0, 0, now())",
                [made["campaign_id"], partner],
            )
            batch = conn.execute("SELECT id FROM actions_importbatch").fetchone()[0]  # type: ignore[index] # one row
            # The rows as the import writes them, in COPY's text format.
            conn.execute(f"CREATE TEMP TABLE csv_rows ({CSV_COLUMNS.replace(',', ' text,')} text)")
            with conn.cursor().copy(
                f"COPY csv_rows ({CSV_COLUMNS}) FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                copy.write(raw)
            ledger_rows = io.BytesIO()
            with conn.cursor().copy(
                f"COPY (SELECT {made['campaign_id']}, {made['case_id']}, action_type, "
                "count::int, left(country, 2), city, occurred_at::timestamptz, 0, channel, "
                f"{partner}, 'import', {batch}, NULL, external_id, note, now() "
                "FROM csv_rows) TO STDOUT"
            ) as copy:
                for chunk in copy:
                    ledger_rows.write(chunk)
            data = ledger_rows.getvalue()
            indexes = [
                r[0]
                for r in conn.execute(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = 'actions_action' "
                    "AND indexname NOT LIKE '%%_pkey'"
                )
            ]
            fks = [
                r[0]
                for r in conn.execute(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = 'actions_action'::regclass AND contype = 'f'"
                )
            ]
            checks = [
                r[0]
                for r in conn.execute(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = 'actions_action'::regclass AND contype = 'c'"
                )
            ]
            table = (
                # A logged table, as the ledger is (a temporary one writes no WAL).
                "CREATE TABLE floor (LIKE actions_action INCLUDING DEFAULTS "
                "INCLUDING IDENTITY); ALTER TABLE floor ADD PRIMARY KEY (id)"
            )
            copies = [ix.replace("ON public.actions_action", "ON floor") for ix in indexes]
            copies = [
                c.replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX f_", 1) for c in copies
            ]
            copies = [c.replace("CREATE INDEX ", "CREATE INDEX f_", 1) for c in copies]
            constraints = [f"ALTER TABLE floor ADD {c}" for c in checks]
            # Deferred, as on the ledger; checked at the COPY's end here, since the run is
            # rolled back and a deferred check would never run.
            foreign = [f"ALTER TABLE floor ADD {fk}" for fk in fks] + [
                "SET CONSTRAINTS ALL IMMEDIATE"
            ]
            into = f"COPY floor ({LEDGER}) FROM STDIN"
            figures = [
                (
                    "COPY of the CSV into a bare table (the reference)",
                    _best(
                        conn,
                        f"CREATE TEMP TABLE bare ({CSV_COLUMNS.replace(',', ' text,')} text)",
                        f"COPY bare ({CSV_COLUMNS}) FROM STDIN WITH (FORMAT csv, HEADER true)",
                        raw,
                    ),
                ),
                (
                    "COPY into a copy of actions_action: primary key only",
                    _best(conn, table, into, data),
                ),
                (
                    f"... with its {len(indexes)} other indexes and its checks",
                    _best(conn, ";".join([table, *copies, *constraints]), into, data),
                ),
                (
                    f"... and its {len(fks)} foreign keys (the ledger as it stands)",
                    _best(conn, ";".join([table, *copies, *constraints, *foreign]), into, data),
                ),
                (
                    "... foreign keys and checks, no index but the primary key",
                    _best(conn, ";".join([table, *constraints, *foreign]), into, data),
                ),
            ]
        say(f"{rows:,} rows; indexes: " + "; ".join(indexes))
        say()
        say("| COPY of the rows into | s | rows/s | ratio to the reference |")
        say("|---|---|---|---|")
        reference = figures[0][1]
        for label, seconds in figures:
            say(f"| {label} | {seconds:.2f} | {rows / seconds:,.0f} | {reference / seconds:.2f} |")


if __name__ == "__main__":
    main()
