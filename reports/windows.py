"""The busiest 24 hours in a series of actions: exact, in one pass."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class BusiestWindow:
    count: int
    start: datetime


def busiest_window(points: Iterable[tuple[datetime, int]]) -> BusiestWindow:
    """The 24-hour window [start, start + 24h) holding the most actions.

    `points` are (time, count) sorted by time. The best window can always be taken to start
    at an action, so a two-pointer sweep over the points finds it exactly.
    """
    window: deque[tuple[datetime, int]] = deque()
    in_window = 0
    best = BusiestWindow(0, datetime.min.replace(tzinfo=UTC))
    # Sweep by window end: for each point as the last one, drop those 24h or more before it.
    for at, n in points:
        window.append((at, n))
        in_window += n
        while window[0][0] <= at - WINDOW:
            in_window -= window.popleft()[1]
        if in_window > best.count:
            best = BusiestWindow(in_window, window[0][0])
    return best
