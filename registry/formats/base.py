"""What every format module shares: the two ways a file can be wrong."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass


class FileProblem(ValueError):
    """The file cannot be read at all (not UTF-8, not CSV, not JSON, a bad header)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class RecordProblem:
    """One record cannot be read as a prisoner's fields (the rest of the file can)."""

    message: str


Records = Iterator[tuple[int, Mapping[str, object] | RecordProblem]]
