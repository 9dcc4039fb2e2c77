"""The partner CSV format (docs/IMPORT.md): reading a file into checked rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils import timezone

from actions.rows import FIELDS, REQUIRED, ActionInput, InvalidRow, parse_action_fields

MAX_FIELD_SIZE = 10_000


@dataclass(frozen=True)
class LineError:
    line: int  # 1 is the header
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ParsedCsv:
    rows: list[ActionInput] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line each row came from
    errors: list[LineError] = field(default_factory=list)


def _text_lines(data: BinaryIO) -> Iterator[str]:
    wrapper = io.TextIOWrapper(data, encoding="utf-8-sig", newline="")
    yield from wrapper


def read_actions_csv(data: BinaryIO, *, on_row: Callable[[], object] | None = None) -> ParsedCsv:
    """Read and check every row; collect every problem with its line rather than stop."""
    result = ParsedCsv()
    reader = csv.reader(_text_lines(data), strict=True)
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        result.errors.append(LineError(1, _unreadable(exc)))
        return result
    if header is None:
        result.errors.append(LineError(1, "the file is empty; expected a header row"))
        return result
    columns = [name.strip().lower() for name in header]
    unknown = [name for name in columns if name not in FIELDS]
    missing = [name for name in REQUIRED if name not in columns]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if unknown or missing or repeated:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        if repeated:
            parts.append(f"repeated column(s) {', '.join(repeated)}")
        parts.append(f"expected header: {','.join(FIELDS)}")
        result.errors.append(LineError(1, "; ".join(parts)))
        return result

    first_line_of: dict[str, int] = {}
    last = reader.line_num  # the last line read
    now = timezone.now()
    try:
        for record in reader:
            # A row whose quoted fields hold newlines spans lines: report the one it starts on.
            line, last = last + 1, reader.line_num
            if on_row is not None:
                on_row()
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                result.errors.append(
                    LineError(line, f"has {len(record)} fields, the header has {len(columns)}")
                )
                continue
            if any(len(cell) > MAX_FIELD_SIZE for cell in record):
                result.errors.append(LineError(line, "a field is too long"))
                continue
            try:
                row = parse_action_fields(dict(zip(columns, record, strict=True)), now=now)
            except InvalidRow as exc:
                result.errors.append(LineError(line, "; ".join(exc.problems)))
                continue
            earlier = first_line_of.setdefault(row.external_id, line)
            if earlier != line:
                result.errors.append(
                    LineError(line, f"external_id {row.external_id!r} repeats line {earlier}")
                )
                continue
            result.rows.append(row)
            result.lines.append(line)
    except (UnicodeDecodeError, csv.Error) as exc:
        result.errors.append(LineError(last + 1, _unreadable(exc)))
    return result


def _unreadable(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "the file is not UTF-8 text"
    return f"not valid CSV ({exc})"
