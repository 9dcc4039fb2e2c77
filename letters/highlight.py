"""A letter's text cut into pieces, each marked with the findings that cover it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from letters.models import Finding


@dataclass(frozen=True)
class Segment:
    text: str
    findings: tuple[Finding, ...] = ()

    @property
    def reasons(self) -> str:
        return " · ".join(dict.fromkeys(f.message for f in self.findings))

    @property
    def severity(self) -> str:
        order = {"info": 0, "warning": 1, "block": 2}
        return max((str(f.severity) for f in self.findings), key=order.__getitem__, default="")


def highlight(text: str, findings: Sequence[Finding]) -> list[Segment]:
    """Split `text` at every finding's start and end; overlapping findings share pieces."""
    spans = [f for f in findings if f.start is not None and f.end is not None and f.start < f.end]
    cuts = sorted({0, len(text), *(min(f.start or 0, len(text)) for f in spans),
                   *(min(f.end or 0, len(text)) for f in spans)})  # fmt: skip
    segments: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = tuple(f for f in spans if (f.start or 0) <= a and b <= (f.end or 0))
        segments.append(Segment(text[a:b], covering))
    return segments
