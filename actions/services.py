"""Writing to the ledger. Every action enters through `record_actions` (a partner's reported
rows) or `record_action` (one action taken online: a signature, a letter)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

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


def _same(existing: Action, row: ActionInput, campaign: Campaign) -> bool:
    return (
        existing.campaign_id == campaign.pk
        and existing.occurred_at == row.occurred_at
        and existing.country == row.country
        and existing.action_type == row.action_type
        and existing.count == row.count
        and existing.channel == row.channel
        and existing.city == row.city
        and existing.note == row.note
    )


def _existing_by_external_id(partner: Partner, ids: list[str]) -> dict[str, Action]:
    found: dict[str, Action] = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        for action in Action.objects.filter(partner=partner, external_id__in=chunk):
            assert action.external_id is not None  # noqa: S101 - filtered on it
            found[action.external_id] = action
    return found


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
    problems.sort()
    if problems:
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
                import_batch=batch,
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
        add_to_tally(campaign.pk, ((a.country, a.action_type, a.count) for a in actions))
        if actions:
            record(
                Audit.COUNTS_RECORDED,
                actor=recorded_by,
                token=token,
                by=str(source),
                obj=batch or campaign,
                partner=partner,
                records=len(actions),
                detail=(
                    f"{source}: {len(actions)} rows, {sum(a.count for a in actions)} actions "
                    f"in {campaign.slug}"
                ),
            )
        on_actions_committed(partner.pk, [a.pk for a in actions])  # the partner's webhooks
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
    on_checked: Callable[[], object] | None = None,
    on_written: Callable[[int], object] | None = None,
    on_planned: Callable[[int], object] | None = None,
) -> ImportResult:
    """Import a partner's CSV file (docs/IMPORT.md): every row, or none and every error."""
    digest = hashlib.sha256()
    raw = data.read()
    digest.update(raw)
    parsed = read_actions_csv(io.BytesIO(raw), on_row=on_checked)
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
