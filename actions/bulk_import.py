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
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from actions.csv_format import MAX_FIELD_SIZE
from actions.models import Action, ImportBatch
from actions.rows import (
    ACTION_TYPES,
    CHANNELS,
    EARLIEST,
    FIELDS,
    FUTURE_TOLERANCE,
    OFFSET_RANGE,
    REQUIRED,
)
from actions.tallies import add_sums_to_tally
from actions.types import Source
from audit.services import Action as Audit
from audit.services import record
from campaigns.models import Campaign
from lantern.countries import resolve_country
from partners.models import Partner
from partners.webhooks import has_webhooks, on_actions_committed

STAGING = "lantern_import_staging"  # and a suffix of its own per import
COUNTRY_MAP = "lantern_import_countries"
INSERT_CHUNK = 100_000  # rows per INSERT, and per step of the progress bar


def _time_shapes() -> list[str]:
    """Times the fast path takes as they are, as shapes (every digit written 0): what
    datetime.fromisoformat and PostgreSQL read the same way. Anything else goes row by row.

    `YYYY-MM-DD[T ]HH:MM[:SS[.f to .ffffff]]` and `Z` or `+HH:MM`/`-HH:MM`. A shape is
    compared with `translate()`, several times cheaper in PostgreSQL than a regular
    expression; the digits' ranges are checked apart (in `_import`)."""
    clocks = ["00:00", "00:00:00"] + ["00:00:00." + "0" * n for n in range(1, 7)]
    zones = ["Z", "+00:00", "-00:00"]
    return [f"0000-00-00{t}{c}{z}" for t in "T " for c in clocks for z in zones]


TIME_SHAPES = _time_shapes()
# Within a shape: hours 00-23 (PostgreSQL takes 24:00), minutes and seconds 00-59
# (PostgreSQL takes a leap second :60), and a UTC offset that a time zone uses (as
# actions.rows.OFFSET_RANGE: -12:00 to +14:00).
OFFSET_MINUTES = (
    int(OFFSET_RANGE[0].total_seconds() // 60),
    int(OFFSET_RANGE[1].total_seconds() // 60),
)
# What str.strip() removes besides the space (U+3000 is the last such character): a cell
# that begins or ends with one of these (spaces aside) goes row by row.
OTHER_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace() and chr(c) != " ")
# One regular expression over a row's cells joined by U+0001: a cell edge holding such a
# character. (A U+0001 inside a cell can only make the row look odd, never hide one.)
ODD_EDGE = f"(^|\x01) *[{OTHER_SPACE}]|[{OTHER_SPACE}] *(\x01|$)"
# A file without quotes has no line break inside a cell; if it has none of these characters
# either, no cell can be odd, and Python finds that out several times faster than the
# regular expression above would over every row.
_MAYBE_ODD = re.compile('["' + OTHER_SPACE.replace("\n", "").replace("\r", "") + "]")
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
    staging = f"{STAGING}_{secrets.token_hex(6)}"
    table = connection.ops.quote_name(Action._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Unlogged, not temporary: PostgreSQL scans a temporary table in one process
            # only, and the checks below run 2-3 times faster in parallel. Made inside the
            # import's transaction: a rollback (or the process killed) leaves nothing.
            f"CREATE UNLOGGED TABLE {staging} (line bigserial PRIMARY KEY, "
            + ", ".join(f"{name} text" for name in names)
            + ")"
        )
        with (
            connection.wrap_database_errors,  # psycopg's errors as Django's DatabaseError
            cursor.cursor.copy(
                f"COPY {staging} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv)"
            ) as copy,
        ):
            step = 1 << 20
            for start in range(0, len(body), step):
                copy.write(body[start : start + step])

        raw = {field: f"coalesce({names[columns.index(field)]}, '')" for field in columns}

        def text(field: str) -> str:
            # btrim() only where a cell has a space to trim: it costs as much as all the
            # other checks of a cell together.
            if field not in raw:
                return "''"
            cell = raw[field]
            return (
                f"(CASE WHEN {cell} LIKE ' %%' OR {cell} LIKE '%% ' "
                f"THEN btrim({cell}, ' ') ELSE {cell} END)"
            )

        # Every check in one pass over the file, which PostgreSQL splits between parallel
        # workers (no OFFSET 0 to fence the subquery in: that would keep it in one process).
        # What the row-by-row reader would strip or skip, this path leaves to it.
        trimmed = ", ".join(f"{text(f)} AS {f}" for f in FIELDS)
        try:
            maybe_odd = _MAYBE_ODD.search(body.decode("utf-8")) is not None
        except UnicodeDecodeError as exc:
            raise _Decline from exc
        edges = f"concat_ws(E'\\x01', {', '.join(raw.values())}) ~ %s" if maybe_odd else "false"
        odd = (
            f"{edges} AS odd, "
            f"greatest({', '.join(f'length({r})' for r in raw.values())}) > {MAX_FIELD_SIZE}"
            " AS too_long"
        )
        at = "occurred_at::timestamptz"  # a date that does not exist fails here
        offset = (
            "CASE WHEN occurred_at LIKE '%%Z' THEN 0 ELSE "
            "(CASE WHEN substr(right(occurred_at, 6), 1, 1) = '-' THEN -1 ELSE 1 END)"
            " * (substr(right(occurred_at, 5), 1, 2)::int * 60"
            " + substr(right(occurred_at, 2), 1, 2)::int) END"
        )
        enabled = [t for t in ACTION_TYPES if t in campaign.action_types]
        checks = [
            "odd",
            "too_long",
            "(" + " AND ".join(f"{f} = ''" for f in FIELDS) + ")",
            "translate(occurred_at, '123456789', '000000000') <> ALL(%s)",
            "substr(occurred_at, 12, 2) > '23'",
            "substr(occurred_at, 15, 2) > '59'",
            "substr(occurred_at, 17, 1) = ':' AND substr(occurred_at, 18, 2) > '59'",
            "occurred_at NOT LIKE '%%Z' AND right(occurred_at, 2) > '59'",
            f"{offset} NOT BETWEEN %s AND %s",
            f"{at} > %s",
            f"{at} < %s",
            "action_type !~ '^[A-Za-z]+$'",
            "lower(action_type) <> ALL(%s)",
            "count !~ '^[0-9]{1,7}$'",
            "ltrim(count, '0') = ''",
            "count::int > 1000000",
            "channel !~ '^[A-Za-z]*$'",
            "coalesce(nullif(lower(channel), ''), 'paper') <> ALL(%s)",
            "external_id = ''",
            "char_length(external_id) > 200",
            "char_length(city) > 100",
            "char_length(note) > 2000",
        ]
        # Each condition is evaluated only once the ones before it hold (a count is cast
        # only when it is digits): CASE, not OR, whose order SQL does not promise.
        case = " ".join(f"WHEN {c} THEN 1" for c in checks)
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE (CASE {case} ELSE 0 END) = 1) "
            f"FROM (SELECT {odd}, {trimmed} FROM {staging}) s",
            [
                TIME_SHAPES,
                *OFFSET_MINUTES,
                now + FUTURE_TOLERANCE,
                EARLIEST,
                enabled,
                list(CHANNELS),
                *([ODD_EDGE] if maybe_odd else []),  # in the subquery, which comes last
            ],
        )
        rows_in_file, bad = cursor.fetchone()
        if bad:
            raise _Decline

        # Countries: each spelling resolved once, by the same function as row by row.
        cursor.execute(f"SELECT DISTINCT {text('country')} FROM {staging}")
        spellings = [spelling for (spelling,) in cursor.fetchall()]
        codes = {spelling: resolve_country(spelling) for spelling in spellings}
        if any(code is None for code in codes.values()):
            raise _Decline
        cursor.execute(
            f"CREATE TEMPORARY TABLE {COUNTRY_MAP} (spelling text PRIMARY KEY, code text) "
            "ON COMMIT DROP"
        )
        cursor.executemany(f"INSERT INTO {COUNTRY_MAP} VALUES (%s, %s)", list(codes.items()))

        values = {
            "action_type": f"lower({text('action_type')})",
            "count": f"{text('count')}::int",
            "country": "m.code",
            "city": text("city"),
            "occurred_at": f"{text('occurred_at')}::timestamptz",
            "utc_offset_minutes": offset.replace("occurred_at", text("occurred_at")),
            "channel": f"coalesce(nullif(lower({text('channel')}), ''), 'paper')",
            "external_id": text("external_id"),
            "note": text("note"),
        }
        joined = f"{staging} s JOIN {COUNTRY_MAP} m ON m.spelling = {text('country')}"
        # Rows this partner recorded before: looked for only if it has any.
        # Room for the hash of a million external_ids, for this transaction (set_config).
        cursor.execute(
            "SELECT set_config('work_mem', '64MB', true), "
            f"EXISTS (SELECT 1 FROM {table} WHERE partner_id = %s AND external_id IS NOT NULL)",
            [partner.pk],
        )
        already = 0
        if cursor.fetchone()[1]:
            already = _already_recorded(cursor, staging, table, joined, values, campaign, partner)
        if on_checked is not None:
            on_checked(rows_in_file)
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
        cursor.execute(f"SELECT min(line), max(line) FROM {staging}")
        first, last = cursor.fetchone()
        if not added:  # every row already recorded: nothing to write (a re-import)
            first, last = 1, 0
        new_only = (
            f"AND NOT EXISTS (SELECT 1 FROM {table} a WHERE a.partner_id = %s "
            f"AND a.external_id = {values['external_id']})"
            if already
            else "AND %s::bigint IS NOT NULL"  # no earlier row: nothing to look up
        )
        # Two rows of the file with one external_id break the unique (partner, external_id)
        # here: the file is declined and the row-by-row path names both lines.
        per_row_checks_off = _hold_references(
            cursor,
            {
                "campaigns_campaign": campaign.pk,
                "cases_case": case_id,
                "partners_partner": partner.pk,
                "actions_importbatch": batch_id,
                "auth_user": recorded_by_id,
            },
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
        if per_row_checks_off:
            cursor.execute("SET LOCAL session_replication_role = origin")

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
        if added and has_webhooks(partner.pk):  # a million ids are read only for a hook
            cursor.execute(
                f"SELECT id FROM {table} WHERE import_batch_id = %s ORDER BY id", [batch_id]
            )
            on_actions_committed(partner.pk, [pk for (pk,) in cursor.fetchall()])
        cursor.execute(f"DROP TABLE {staging}")
    return FastResult(added=added, already_recorded=already, rows_in_file=rows_in_file)


def _hold_references(cursor: CursorWrapper, references: dict[str, int | None]) -> bool:
    """Check and lock, once, the rows every new ledger row refers to; True if the per-row
    foreign-key checks can then be skipped for the ledger's INSERTs (until set back).

    Every row of a file refers to the same campaign, case, partner, batch and user, and
    PostgreSQL's foreign-key triggers would check (and lock FOR KEY SHARE) those same rows
    once per ledger row and key: a million rows made four million checks, a third of the
    import. Here each is checked and locked once, exactly as the trigger would, so none of
    them can go before the import commits; then, if the database role may set
    `session_replication_role` (a superuser, or `GRANT SET ON PARAMETER
    session_replication_role`), the triggers are skipped for the INSERTs alone. The
    constraints stay on the table for every other writer; without the grant, the triggers
    run as before."""
    held = {table: pk for table, pk in references.items() if pk is not None}
    locks = " + ".join(
        f"(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE) r)"
        for table in held
    )
    allowed = "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
    if connection.pg_version >= 150000:  # type: ignore[attr-defined] # PostgreSQL's backend
        allowed += " OR has_parameter_privilege('session_replication_role', 'SET')"
    cursor.execute(f"SELECT {locks}, {allowed}", list(held.values()))
    found, may_skip = cursor.fetchone()
    if found != len(held):
        raise _Decline  # gone meanwhile: the row-by-row path fails on it as it should
    if may_skip:
        cursor.execute("SET LOCAL session_replication_role = replica")
    return bool(may_skip)


def _already_recorded(
    cursor: CursorWrapper,
    staging: str,
    table: str,
    joined: str,
    values: dict[str, str],
    campaign: Campaign,
    partner: Partner,
) -> int:
    """How many rows of the file the partner already recorded; declines if one of them was
    recorded with other values, or if an external_id repeats in the file (which the unique
    index cannot see when the earlier row is skipped as already recorded)."""
    cursor.execute(f"ANALYZE {staging}")  # the join below is planned on its real size
    cursor.execute(
        f"SELECT 1 FROM {staging} GROUP BY {values['external_id']} HAVING count(*) > 1 LIMIT 1"
    )
    if cursor.fetchone():
        raise _Decline  # "external_id repeats line N"
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
    return int(already)


def _default_case_id(campaign: Campaign) -> int | None:
    from actions.services import default_case_id

    return default_case_id(campaign)
