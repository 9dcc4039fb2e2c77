"""The one way Lantern makes a PDF: a Typst layout, data as JSON, the fonts in lantern/fonts.

A layout is a `.typ` file in its app's `pdf/` folder (`mail/pdf/batch.typ`). It never sees
user text pasted into its markup: `render_pdf` hands it the data as one JSON document in
`sys.inputs.data`, which the layout reads with `json(bytes(sys.inputs.data))` and shows as
values, so a name like `#strong[x]` or `$` prints as typed. Layouts import the shared page
set-up from `/lantern/typst/lantern.typ` (paths start at the project root).

Only the fonts shipped in `lantern/fonts/` are used (system fonts are ignored), and Typst
embeds the ones a document uses, so Latin, Cyrillic, Greek and CJK text prints the same on
every machine. See docs/MAIL.md, "How to add a PDF layout".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typst
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# Tried in order for each character: Noto Sans (Latin, Cyrillic, Greek), then CJK.
FONT_FAMILIES = ("Noto Sans", "Noto Sans CJK SC")


class PdfError(Exception):
    """A layout failed to compile (a bug in the layout, not in the data)."""


def render_pdf(layout: Path, data: Mapping[str, Any]) -> bytes:
    """Compile `layout` with `data` (JSON-serializable; dates allowed) into PDF bytes."""
    root = Path(settings.BASE_DIR).resolve()
    layout = layout.resolve()
    if not layout.is_relative_to(root):
        raise PdfError(f"{layout} is outside the project")
    inputs = {
        "data": json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        "fonts": json.dumps(FONT_FAMILIES),
    }
    try:
        pdf = typst.compile(
            str(layout),
            root=str(root),
            font_paths=[str(FONTS_DIR)],
            ignore_system_fonts=True,
            sys_inputs=inputs,
            format="pdf",
        )
    except typst.TypstError as exc:
        raise PdfError(f"{layout.name}: {exc}") from exc
    if not isinstance(pdf, bytes):  # a list comes back only for per-page image formats
        raise PdfError(f"{layout.name}: Typst returned {type(pdf).__name__}, not a PDF")
    return pdf
