"""PostgreSQL's fast path for a partner's CSV file: checked and written set-based, in SQL.

`actions.csv_format` and `actions.rows` stay the one definition of a good row and the one
source of every error message. This path only ever says yes: it COPYs the file into a
staging table, accepts the file when SQL can show that every row passes the same checks
(a strict subset of what the row-by-row reader accepts: plain ISO times with an offset,
countries resolved by `resolve_country` once per spelling, no duplicate or changed
external_id, nothing in a form it does not know), and then writes all of it in a few
statements. For anything else (a bad row, an unusual but valid spelling) it declines, nothing
it did remains, and `import_actions_csv` runs the row-by-row path, which imports or lists the
errors exactly as before. `actions/tests/test_bulk_import.py` checks that both paths agree.
"""

# ruff: noqa: S608 - the SQL is built from this module's own names; every value is a parameter.
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from actions.csv_format import MAX_FIELD_SIZE
from actions.models import Action, ImportBatch
from actions.rows import ACTION_TYPES, CHANNELS, EARLIEST, FIELDS, FUTURE_TOLERANCE, REQUIRED
from actions.tallies import add_sums_to_tally
from actions.types import Source
from audit.services import Action as Audit
from audit.services import record
from campaigns.models import Campaign
from lantern.countries import resolve_country
from partners.models import Partner
from partners.webhooks import on_actions_committed

STAGING = "lantern_import_staging"
COUNTRY_MAP = "lantern_import_countries"
INSERT_CHUNK = 100_000  # rows per INSERT, and per step of the progress bar
# Times the fast path takes as they are: what datetime.fromisoformat and PostgreSQL read the
# same way (offsets up to ±15:59, PostgreSQL's limit). Anything else goes row by row.
ISO_TIME = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-5]):[0-5][0-9])$"
)
# What str.strip() removes (U+3000 is the last such character): a cell that loses more to
# these than to spaces alone goes row by row.
PY_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_END_MARKER = re.compile(rb"(^|\n)\\\.\r?(\n|$)")  # COPY's end-of-data line


@dataclass(frozen=True)
class FastResult:
    added: int
    already_recorded: int
    rows_in_file: int


class _Decline(Exception):
    """The file is not one the fast path can prove good: the row-by-row path decides."""


def _columns(header_line: bytes) -> list[str]:
    try:
        header = next(csv.reader(io.StringIO(header_line.decode("utf-8"))), None)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _Decline from exc
    if header is None:
        raise _Decline
    columns = [name.strip().lower() for name in header]
    if (
        any(name not in FIELDS for name in columns)
        or any(name not in columns for name in REQUIRED)
        or len(set(columns)) != len(columns)
    ):
        raise _Decline
    return columns


def import_csv_fast(
    raw: bytes,
    *,
    campaign: Campaign,
    partner: Partner,
    make_batch: Callable[[int, int], ImportBatch],
    recorded_by: User | None,
    on_checked: Callable[[int], object] | None = None,
    on_written: Callable[[int], object] | None = None,
    on_planned: Callable[[int], object] | None = None,
) -> FastResult | None:
    """Import `raw` (a whole CSV file) if this path can; None if it declines (nothing done).

    `make_batch(rows_in_file, added)` stores the ImportBatch and returns it; `recorded_by` is
    who imports (for the ledger and the audit log).
    """
    if connection.vendor != "postgresql":
        return None
    body = raw.removeprefix(b"\xef\xbb\xbf")
    header_line, newline, body = body.partition(b"\n")
    if not newline or not body.strip() or _END_MARKER.search(body) or b"\x00" in body:
        return None
    try:
        columns = _columns(header_line.rstrip(b"\r"))
        with transaction.atomic():
            return _import(
                body,
                columns,
                campaign=campaign,
                partner=partner,
                make_batch=make_batch,
                recorded_by=recorded_by,
                on_checked=on_checked,
                on_written=on_written,
                on_planned=on_planned,
            )
    except (_Decline, DatabaseError):
        # A row the checks or a cast refused, or a concurrent import: nothing was kept.
        return None


def _import(
    body: bytes,
    columns: list[str],
    *,
    campaign: Campaign,
    partner: Partner,
    make_batch: Callable[[int, int], ImportBatch],
    recorded_by: User | None,
    on_checked: Callable[[int], object] | None,
    on_written: Callable[[int], object] | None,
    on_planned: Callable[[int], object] | None,
) -> FastResult:
    now = timezone.now()
    names = [f"c{n}" for n in range(len(columns))]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (line bigserial PRIMARY KEY, "
            + ", ".join(f"{name} text" for name in names)
            + ") ON COMMIT DROP"
        )
        with (
            connection.wrap_database_errors,  # psycopg's errors as Django's DatabaseError
            cursor.cursor.copy(
                f"COPY {STAGING} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv)"
            ) as copy,
        ):
            step = 1 << 20
            for start in range(0, len(body), step):
                copy.write(body[start : start + step])

        raw = {field: f"coalesce({names[columns.index(field)]}, '')" for field in columns}

        def text(field: str) -> str:
            return f"btrim({raw[field]}, ' ')" if field in raw else "''"

        # What the row-by-row reader would strip or skip, this path leaves to it.
        odd = [f"btrim({raw[f]}, %s) <> {text(f)}" for f in columns]
        odd += [f"length({raw[f]}) > {MAX_FIELD_SIZE}" for f in columns]
        odd.append("(" + " AND ".join(f"{text(f)} = ''" for f in columns) + ")")
        enabled = [t for t in ACTION_TYPES if t in campaign.action_types]
        checks = [
            *odd,
            f"{text('occurred_at')} !~ %s",
            f"{text('action_type')} !~ '^[A-Za-z]+$'",
            f"lower({text('action_type')}) <> ALL(%s)",
            f"{text('count')} !~ '^[0-9]{{1,7}}$'",
            f"ltrim({text('count')}, '0') = ''",
            f"{text('count')}::int > 1000000",
            f"{text('channel')} !~ '^[A-Za-z]*$'",
            f"coalesce(nullif(lower({text('channel')}), ''), 'paper') <> ALL(%s)",
            f"{text('external_id')} = ''",
            f"char_length({text('external_id')}) > 200",
            f"char_length({text('city')}) > 100",
            f"char_length({text('note')}) > 2000",
        ]
        # Each condition is evaluated only once the ones before it hold (a count is cast
        # only when it is digits): CASE, not OR, whose order SQL does not promise.
        case = " ".join(f"WHEN {c} THEN 1" for c in checks)
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE (CASE {case} ELSE 0 END) = 1) FROM {STAGING}",
            [*([PY_SPACE] * len(columns)), ISO_TIME, enabled, list(CHANNELS)],
        )
        rows_in_file, bad = cursor.fetchone()
        if bad:
            raise _Decline
        cursor.execute(
            f"SELECT 1 FROM {STAGING} GROUP BY {text('external_id')} HAVING count(*) > 1 LIMIT 1"
        )
        if cursor.fetchone():
            raise _Decline  # "external_id repeats line N"

        # Countries: each spelling resolved once, by the same function as row by row.
        cursor.execute(f"SELECT DISTINCT {text('country')} FROM {STAGING}")
        spellings = [spelling for (spelling,) in cursor.fetchall()]
        codes = {spelling: resolve_country(spelling) for spelling in spellings}
        if any(code is None for code in codes.values()):
            raise _Decline
        cursor.execute(
            f"CREATE TEMPORARY TABLE {COUNTRY_MAP} (spelling text PRIMARY KEY, code text) "
            "ON COMMIT DROP"
        )
        cursor.executemany(f"INSERT INTO {COUNTRY_MAP} VALUES (%s, %s)", list(codes.items()))

        at = f"{text('occurred_at')}::timestamptz"  # a date that does not exist fails here
        cursor.execute(
            f"SELECT count(*) FROM {STAGING} WHERE {at} > %s OR {at} < %s",
            [now + FUTURE_TOLERANCE, EARLIEST],
        )
        if cursor.fetchone()[0]:
            raise _Decline
        if on_checked is not None:
            on_checked(rows_in_file)

        table = connection.ops.quote_name(Action._meta.db_table)
        offset = (
            f"CASE WHEN {text('occurred_at')} LIKE '%%Z' THEN 0 ELSE "
            f"(CASE WHEN substr(right({text('occurred_at')}, 6), 1, 1) = '-' THEN -1 ELSE 1 END)"
            f" * (substr(right({text('occurred_at')}, 5), 1, 2)::int * 60"
            f" + substr(right({text('occurred_at')}, 2), 1, 2)::int) END"
        )
        values = {
            "action_type": f"lower({text('action_type')})",
            "count": f"{text('count')}::int",
            "country": "m.code",
            "city": text("city"),
            "occurred_at": at,
            "utc_offset_minutes": offset,
            "channel": f"coalesce(nullif(lower({text('channel')}), ''), 'paper')",
            "external_id": text("external_id"),
            "note": text("note"),
        }
        joined = f"{STAGING} s JOIN {COUNTRY_MAP} m ON m.spelling = {text('country')}"
        existing = f"{table} a ON a.partner_id = %s AND a.external_id = {values['external_id']}"
        same = " AND ".join(
            [f"a.campaign_id = {campaign.pk}"]
            + [
                f"a.{field} = {values[field]}"
                for field in ("occurred_at", "country", "action_type", "count", "channel")
            ]
            + [f"a.city = {values['city']}", f"a.note = {values['note']}"]
        )
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE NOT ({same})) FROM {joined} JOIN {existing}",
            [partner.pk],
        )
        already, changed = cursor.fetchone()
        if changed:
            raise _Decline  # "already recorded with different values"
        added = rows_in_file - already
        if on_planned is not None:
            on_planned(added)
        batch = make_batch(rows_in_file, added)
        batch_id = batch.pk
        recorded_by_id = recorded_by.pk if recorded_by is not None else None

        case_id = _default_case_id(campaign)
        select = ", ".join(
            [
                "%s",
                "%s",
                values["action_type"],
                values["count"],
                values["country"],
                values["city"],
                values["occurred_at"],
                values["utc_offset_minutes"],
                values["channel"],
                "%s",
                "%s",
                "%s",
                "%s",
                values["external_id"],
                values["note"],
                "%s",
            ]
        )
        columns_sql = (
            "campaign_id, case_id, action_type, count, country, city, occurred_at, "
            "utc_offset_minutes, channel, partner_id, source, import_batch_id, recorded_by_id, "
            "external_id, note, created_at"
        )
        cursor.execute(f"SELECT min(line), max(line) FROM {STAGING}")
        first, last = cursor.fetchone()
        new_only = (
            f"AND NOT EXISTS (SELECT 1 FROM {table} a WHERE a.partner_id = %s "
            f"AND a.external_id = {values['external_id']})"
            if already
            else "AND %s::bigint IS NOT NULL"  # no earlier row: nothing to look up
        )
        for start in range(first, last + 1, INSERT_CHUNK):
            cursor.execute(
                f"INSERT INTO {table} ({columns_sql}) SELECT {select} FROM {joined} "
                f"WHERE s.line >= %s AND s.line < %s {new_only} ORDER BY s.line",
                [
                    campaign.pk,
                    case_id,
                    partner.pk,
                    str(Source.IMPORT),
                    batch_id,
                    recorded_by_id,
                    now,
                    start,
                    start + INSERT_CHUNK,
                    partner.pk,
                ],
            )
            if on_written is not None:
                on_written(cursor.rowcount)

        cursor.execute(
            f"SELECT country, action_type, sum(count), count(*) FROM {table} "
            "WHERE import_batch_id = %s GROUP BY country, action_type",
            [batch_id],
        )
        sums = cursor.fetchall()
        add_sums_to_tally(campaign.pk, sums)
        if added:
            actions = sum(int(n) for _, _, n, _ in sums)
            record(
                Audit.COUNTS_RECORDED,
                actor=recorded_by,
                by=str(Source.IMPORT),
                obj=batch,
                partner=partner,
                records=added,
                detail=f"{Source.IMPORT}: {added} rows, {actions} actions in {campaign.slug}",
            )
        cursor.execute(f"SELECT id FROM {table} WHERE import_batch_id = %s ORDER BY id", [batch_id])
        on_actions_committed(partner.pk, [pk for (pk,) in cursor.fetchall()])
    return FastResult(added=added, already_recorded=already, rows_in_file=rows_in_file)


def _default_case_id(campaign: Campaign) -> int | None:
    from actions.services import default_case_id

    return default_case_id(campaign)
