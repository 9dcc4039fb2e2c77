"""CSV: a header row with the column names (docs/REGISTRY.md), then one prisoner a row.

UTF-8 (a byte-order mark is fine). A field may span lines inside quotes (an address); a
record is reported by the line it starts on.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from registry.formats.base import FileProblem, RecordProblem, Records
from registry.rows import COLUMNS, REQUIRED

NAME = "csv"
EXTENSIONS = (".csv",)
MAX_FIELD_SIZE = 10_000


def _unreadable(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return _("the file is not UTF-8 text")
    return _("not valid CSV (%(reason)s)") % {"reason": exc}


def records(data: bytes) -> Records:
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise FileProblem(1, _unreadable(exc)) from None
    if header is None:
        raise FileProblem(1, _("the file is empty; expected a header row"))
    columns = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    unknown = [name for name in columns if name not in COLUMNS]
    if missing or repeated or unknown:
        parts = []
        if missing:
            parts.append(_("missing column(s) %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown column(s) %(names)s") % {"names": ", ".join(unknown)})
        if repeated:
            parts.append(_("repeated column(s) %(names)s") % {"names": ", ".join(repeated)})
        parts.append(_("known columns: %(names)s") % {"names": ",".join(COLUMNS)})
        raise FileProblem(1, "; ".join(parts))
    last = reader.line_num
    try:
        for record in reader:
            line, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                message = _("has %(got)s fields, the header has %(want)s") % {
                    "got": len(record),
                    "want": len(columns),
                }
                yield line, RecordProblem(message)
                continue
            if any(len(cell) > MAX_FIELD_SIZE for cell in record):
                yield line, RecordProblem(_("a field is too long"))
                continue
            yield line, dict(zip(columns, record, strict=True))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise FileProblem(last + 1, _unreadable(exc)) from None
