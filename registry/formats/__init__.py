"""The file formats a registry is imported from: one module per format, one shape.

A format module has `NAME`, `EXTENSIONS` and `records(data: bytes)`, which yields
`(line, record)` for each prisoner in the file (record: column name -> value, or a
`RecordProblem` when that record cannot be read) and raises `FileProblem` when the file as a
whole cannot be read (`registry/formats/base.py`). `read_registry` checks every record
the same way whatever the format (`registry.rows.parse_record`). To add a format, write a
module like `csv_format.py` and list it in `FORMATS` (docs/REGISTRY.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from django.utils.translation import gettext as _

from registry.formats import csv_format, json_format
from registry.formats.base import FileProblem, RecordProblem

__all__ = ["FORMATS", "FileProblem", "LineError", "ParsedRegistry", "format_for", "read_registry"]
from registry.rows import COLUMNS, InvalidRecord, RegistryRow, parse_record

FORMATS: dict[str, ModuleType] = {module.NAME: module for module in (csv_format, json_format)}


@dataclass(frozen=True)
class LineError:
    line: int  # CSV: 1 is the header; JSON: the line the object starts on; 0: the whole file
    message: str

    def __str__(self) -> str:
        if not self.line:  # about the file as a whole
            return self.message
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ParsedRegistry:
    rows: list[RegistryRow] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line each row came from
    errors: list[LineError] = field(default_factory=list)


def format_for(filename: str) -> str | None:
    """The format a file name says (by its extension), or None."""
    lower = filename.lower()
    for name, module in FORMATS.items():
        if any(lower.endswith(ext) for ext in module.EXTENSIONS):
            return name
    return None


def unknown_columns(names: list[str]) -> list[str]:
    return [name for name in names if name not in COLUMNS]


def read_registry(
    data: bytes,
    fmt: str,
    *,
    default_country: str,
    on_row: Callable[[], object] | None = None,
) -> ParsedRegistry:
    """Read and check every record; collect every problem with its line rather than stop."""
    result = ParsedRegistry()
    first_line_of: dict[str, int] = {}
    try:
        for line, record in FORMATS[fmt].records(data):
            if on_row is not None:
                on_row()
            if isinstance(record, RecordProblem):
                result.errors.append(LineError(line, record.message))
                continue
            unknown = unknown_columns(list(record))
            if unknown:
                result.errors.append(
                    LineError(
                        line,
                        _("unknown field(s) %(names)s; known: %(known)s")
                        % {"names": ", ".join(unknown), "known": ", ".join(COLUMNS)},
                    )
                )
                continue
            try:
                row = parse_record(record, default_country=default_country)
            except InvalidRecord as exc:
                result.errors.append(LineError(line, "; ".join(exc.problems)))
                continue
            earlier = first_line_of.setdefault(row.key, line)
            if earlier != line:
                result.errors.append(
                    LineError(
                        line,
                        _("the same person as line %(earlier)s (id %(key)s)")
                        % {"earlier": earlier, "key": repr(row.key)},
                    )
                )
                continue
            result.rows.append(row)
            result.lines.append(line)
    except FileProblem as exc:
        result.errors.append(LineError(exc.line, exc.message))
    if not result.rows and not result.errors:
        result.errors.append(LineError(1, _("the file lists no one")))
    return result
