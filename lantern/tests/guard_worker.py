"""Run in a separate process by test_guard_store (imports nothing that needs Django set up)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from lantern.conf import parse_rates
from lantern.guard.store import LocalStore

T0 = 1_800_000_000_000


def take_many(path: str, times: int, queue: multiprocessing.Queue[int]) -> None:
    store = LocalStore(Path(path))
    rates = parse_rates("10/hour:10")
    queue.put(sum(store.take("shared", rates, T0).allowed for _ in range(times)))
