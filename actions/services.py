"""Writing to the ledger. Every action enters through `record_actions` (a partner's reported
rows) or `record_action` (one action taken online: a signature, a letter)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from actions.bulk_import import import_csv_fast
from actions.csv_format import LineError, read_actions_csv
from actions.models import Action, ImportBatch
from actions.rows import ActionInput
from actions.tallies import add_to_tally
from actions.types import Channel, Source
from audit.services import Action as Audit
from audit.services import record
from campaigns.models import Campaign
from partners.models import ApiToken, Partner
from partners.webhooks import on_actions_committed

LOOKUP_CHUNK = 900  # below SQLite's limit on query parameters


@dataclass(frozen=True)
class RecordResult:
    added: int
    already_recorded: int


class ActionsRejected(Exception):
    """Nothing was recorded; `problems` holds (row index, message) for every bad row."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(problems)} row(s) rejected")
        self.problems = problems


# What a repeated row must match to be "already recorded": the values the partner sent.
_COMPARED = ("campaign_id", "occurred_at", "country", "action_type", "count", "channel", "city")


def _same(existing: tuple[object, ...], row: ActionInput, campaign: Campaign) -> bool:
    return existing == (
        campaign.pk,
        row.occurred_at,
        row.country,
        row.action_type,
        row.count,
        row.channel,
        row.city,
        row.note,
    )


def _existing_by_external_id(partner: Partner, ids: list[str]) -> dict[str, tuple[object, ...]]:
    """The compared values of the partner's rows already recorded under these external_ids."""
    found: dict[str, tuple[object, ...]] = {}
    if connection.vendor == "postgresql":
        # One array parameter per 100,000 ids: planned once, unlike an IN list of them.
        columns = ", ".join(("external_id", *_COMPARED, "note"))
        table = connection.ops.quote_name(Action._meta.db_table)
        sql = f"SELECT {columns} FROM {table} WHERE partner_id = %s AND external_id = ANY(%s)"  # noqa: S608 - our names
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 100_000):
                cursor.execute(sql, [partner.pk, ids[start : start + 100_000]])
                for external_id, *values in cursor.fetchall():
                    found[external_id] = tuple(values)
        return found
    rows = Action.objects.filter(partner=partner)
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        matching = rows.filter(external_id__in=chunk).values_list("external_id", *_COMPARED, "note")
        for external_id, *values in matching:
            found[external_id] = tuple(values)
    return found


# The ledger's columns in the order `_insert_rows` writes them.
_COLUMNS = (
    "campaign_id",
    "case_id",
    "action_type",
    "count",
    "country",
    "city",
    "occurred_at",
    "utc_offset_minutes",
    "channel",
    "partner_id",
    "source",
    "import_batch_id",
    "recorded_by_id",
    "external_id",
    "note",
    "created_at",
)
WRITE_CHUNK = 10_000  # rows per statement (SQLite) or per progress step (PostgreSQL's COPY)
# COPY's text format: backslash, tab, newline and carriage return escaped; \N is NULL.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _copy_line(row: tuple[Any, ...]) -> str:
    """One ledger row as a line of COPY's text format (faster than psycopg's write_row)."""
    return "\t".join(map(_copy_value, row)) + "\n"


def _insert_rows(values: list[tuple[Any, ...]], on_written: Callable[[int], object] | None) -> None:
    """Append ledger rows (`_COLUMNS` tuples) inside the caller's transaction, fast: COPY on
    PostgreSQL, one prepared INSERT per chunk on SQLite. Constraints hold as for any insert."""
    table = connection.ops.quote_name(Action._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for start in range(0, len(values), WRITE_CHUNK):
                    chunk = values[start : start + WRITE_CHUNK]
                    copy.write("".join(map(_copy_line, chunk)))
                    if on_written is not None:
                        on_written(len(chunk))
            return
        marks = ", ".join(["%s"] * len(_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - our names
        # As Django stores an aware time on SQLite (connection.ops.adapt_datetimefield_value,
        # at a tenth of its cost per row): naive, in the connection's zone (UTC).
        zone = connection.timezone
        at, created = _COLUMNS.index("occurred_at"), _COLUMNS.index("created_at")
        for start in range(0, len(values), WRITE_CHUNK):
            chunk = values[start : start + WRITE_CHUNK]
            params = []
            for row in chunk:
                adapted = list(row)
                adapted[at] = row[at].astimezone(zone).replace(tzinfo=None).isoformat(" ")
                adapted[created] = row[created].astimezone(zone).replace(tzinfo=None).isoformat(" ")
                params.append(adapted)
            cursor.executemany(sql, params)
            if on_written is not None:
                on_written(len(chunk))


def default_case_id(campaign: Campaign) -> int | None:
    """The case an action counts for when the report does not say: the campaign's only one."""
    case_ids = list(campaign.cases.values_list("pk", flat=True)[:2])
    return case_ids[0] if len(case_ids) == 1 else None


def record_action(
    campaign: Campaign,
    *,
    action_type: str,
    country: str,
    source: Source,
    case_id: int | None = None,
    city: str = "",
    partner: Partner | None = None,
) -> Action:
    """Append one action taken online now, add it to the tally and tell the partner's webhooks.

    Call inside the caller's transaction, which also writes what the action stands for (the
    signature, the letter). Without a case, it counts for the campaign's only case.
    """
    action = Action.objects.create(
        campaign=campaign,
        case_id=case_id if case_id is not None else default_case_id(campaign),
        action_type=action_type,
        count=1,
        country=country,
        city=city,
        occurred_at=timezone.now(),
        channel=Channel.ONLINE,
        partner=partner,
        source=source,
    )
    add_to_tally(campaign.pk, [(country, action_type, 1)])
    on_actions_committed(partner.pk if partner else None, [action.pk])  # the partner's webhooks
    return action


def record_actions(
    campaign: Campaign,
    partner: Partner,
    rows: Sequence[ActionInput],
    *,
    source: Source,
    recorded_by: User | None = None,
    token: ApiToken | None = None,
    batch_factory: Callable[[int], ImportBatch] | None = None,
    on_written: Callable[[int], object] | None = None,
    on_planned: Callable[[int], object] | None = None,
) -> RecordResult:
    """Record a partner's reported actions, all or nothing, idempotent by external_id.

    A row whose external_id the partner already recorded with the same values is skipped; with
    different values, it is a problem. Raises ActionsRejected (and writes nothing) if any row
    is a problem. `on_planned` hears how many rows will be written, `on_written` each chunk.
    The batch leaves one audit entry (who: `recorded_by`, the API `token`, else the source).
    """
    problems = [
        (index, f"action_type {row.action_type!r} is not enabled for this campaign")
        for index, row in enumerate(rows)
        if row.action_type not in campaign.action_types
    ]
    first_at: dict[str, int] = {}
    for index, row in enumerate(rows):
        if row.external_id in first_at:
            # Twice in one batch would break the unique (partner, external_id) at insert.
            where = first_at[row.external_id]
            problems.append(
                (index, f"external_id {row.external_id!r} is also item {where} of this batch")
            )
        first_at.setdefault(row.external_id, index)
    if problems:
        problems.sort()
        raise ActionsRejected(problems)
    case_id = default_case_id(campaign)
    for attempt in range(3):
        try:
            return _record_once(
                campaign,
                partner,
                rows,
                case_id,
                source,
                recorded_by,
                token,
                batch_factory,
                on_written,
                on_planned,
            )
        except IntegrityError:
            # Another request recorded some of these external_ids meanwhile: look again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _record_once(
    campaign: Campaign,
    partner: Partner,
    rows: Sequence[ActionInput],
    case_id: int | None,
    source: Source,
    recorded_by: User | None,
    token: ApiToken | None,
    batch_factory: Callable[[int], ImportBatch] | None,
    on_written: Callable[[int], object] | None,
    on_planned: Callable[[int], object] | None,
) -> RecordResult:
    with transaction.atomic():
        existing = _existing_by_external_id(partner, [row.external_id for row in rows])
        problems: list[tuple[int, str]] = []
        new_rows: list[ActionInput] = []
        for index, row in enumerate(rows):
            earlier = existing.get(row.external_id)
            if earlier is None:
                new_rows.append(row)
            elif not _same(earlier, row, campaign):
                problems.append(
                    (
                        index,
                        f"external_id {row.external_id!r} was already recorded "
                        "with different values",
                    )
                )
        if problems:
            raise ActionsRejected(problems)
        if on_planned is not None:
            on_planned(len(new_rows))
        batch = batch_factory(len(new_rows)) if batch_factory is not None else None
        user_id = recorded_by.pk if recorded_by is not None else None
        if batch is not None:
            # A file's rows: written in bulk, then their ids read back for the webhooks.
            now = timezone.now()
            _insert_rows(
                [
                    (
                        campaign.pk,
                        case_id,
                        row.action_type,
                        row.count,
                        row.country,
                        row.city,
                        row.occurred_at,
                        row.utc_offset_minutes,
                        row.channel,
                        partner.pk,
                        str(source),
                        batch.pk,
                        user_id,
                        row.external_id,
                        row.note,
                        now,
                    )
                    for row in new_rows
                ],
                on_written,
            )
            written = Action.objects.filter(import_batch=batch).order_by("pk")
            ids = list(written.values_list("pk", flat=True))
        else:
            actions = [
                Action(
                    campaign=campaign,
                    case_id=case_id,
                    action_type=row.action_type,
                    count=row.count,
                    country=row.country,
                    city=row.city,
                    occurred_at=row.occurred_at,
                    utc_offset_minutes=row.utc_offset_minutes,
                    channel=row.channel,
                    partner=partner,
                    source=source,
                    recorded_by_id=user_id,
                    external_id=row.external_id,
                    note=row.note,
                )
                for row in new_rows
            ]
            for start in range(0, len(actions), 2000):
                Action.objects.bulk_create(actions[start : start + 2000])
                if on_written is not None:
                    on_written(len(actions[start : start + 2000]))
            ids = [a.pk for a in actions]
        add_to_tally(campaign.pk, ((r.country, r.action_type, r.count) for r in new_rows))
        if new_rows:
            record(
                Audit.COUNTS_RECORDED,
                actor=recorded_by,
                token=token,
                by=str(source),
                obj=batch or campaign,
                partner=partner,
                records=len(new_rows),
                detail=(
                    f"{source}: {len(new_rows)} rows, {sum(r.count for r in new_rows)} actions "
                    f"in {campaign.slug}"
                ),
            )
        on_actions_committed(partner.pk, ids)  # the partner's webhooks
    return RecordResult(added=len(new_rows), already_recorded=len(rows) - len(new_rows))


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_recorded: int
    errors: list[LineError]

    @property
    def ok(self) -> bool:
        return not self.errors


def import_actions_csv(
    data: BinaryIO,
    *,
    campaign: Campaign,
    partner: Partner,
    filename: str,
    imported_by: User | None = None,
    on_checked: Callable[[int], object] | None = None,
    on_written: Callable[[int], object] | None = None,
    on_planned: Callable[[int], object] | None = None,
) -> ImportResult:
    """Import a partner's CSV file (docs/IMPORT.md): every row, or none and every error.

    `on_checked(n)` hears that n more rows were checked, `on_planned` how many will be
    written, `on_written(n)` that n more were. On PostgreSQL a file goes first to the
    set-based path (`actions.bulk_import`); when that declines, row by row.
    """
    digest = hashlib.sha256()
    raw = data.read()
    digest.update(raw)
    user_id = imported_by.pk if imported_by is not None and imported_by.pk else None

    def make_fast_batch(rows_in_file: int, added: int) -> ImportBatch:
        return ImportBatch.objects.create(
            campaign=campaign,
            partner=partner,
            filename=filename[:255],
            sha256=digest.hexdigest(),
            rows_in_file=rows_in_file,
            rows_added=added,
            imported_by_id=user_id,
        )

    fast = import_csv_fast(
        raw,
        campaign=campaign,
        partner=partner,
        make_batch=make_fast_batch,
        recorded_by=imported_by if user_id is not None else None,
        on_checked=on_checked,
        on_written=on_written,
        on_planned=on_planned,
    )
    if fast is not None:
        return ImportResult(fast.added, fast.already_recorded, [])

    checked = 0

    def check_one() -> None:  # the progress hears every thousand rows: a call per row costs
        nonlocal checked
        checked += 1
        if on_checked is not None and checked % 1000 == 0:
            on_checked(1000)

    parsed = read_actions_csv(io.BytesIO(raw), on_row=check_one)
    if on_checked is not None and checked % 1000:
        on_checked(checked % 1000)
    if parsed.errors:
        return ImportResult(0, 0, parsed.errors)

    def make_batch(added: int) -> ImportBatch:
        return ImportBatch.objects.create(
            campaign=campaign,
            partner=partner,
            filename=filename[:255],
            sha256=digest.hexdigest(),
            rows_in_file=len(parsed.rows),
            rows_added=added,
            imported_by=imported_by if imported_by is not None and imported_by.pk else None,
        )

    try:
        result = record_actions(
            campaign,
            partner,
            parsed.rows,
            source=Source.IMPORT,
            recorded_by=imported_by,
            batch_factory=make_batch,
            on_written=on_written,
            on_planned=on_planned,
        )
    except ActionsRejected as exc:
        errors = [LineError(parsed.lines[index], message) for index, message in exc.problems]
        return ImportResult(0, 0, errors)
    return ImportResult(result.added, result.already_recorded, [])
