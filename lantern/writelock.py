"""One writer at a time on an SQLite file, queued without sleeping; writes grouped in commits.

SQLite lets one connection write at a time. A writer that finds the file locked waits in
SQLite's busy handler, which sleeps and retries (1, 2, 5, 10 ... 100 ms), so under a burst
of signatures from several server processes a few writers sleep far longer than the lock
is held: the latency's long tail (docs/PERFORMANCE.md). `WriteLock` queues writers instead:
the threads of a process on a Python lock, the processes on an `flock` of a file next to the
database, which the kernel hands to the next waiter the moment it is released. The lock is
advisory: writers that do not take it (Django's own queries) still meet SQLite's busy handler,
as before, and SQLite's own locking keeps every write correct either way.

Each commit on SQLite (synchronous=FULL) waits for an fsync while it holds the file's one
write lock: `GroupCommit` lets the writes that arrive meanwhile share the next commit.
"""

from __future__ import annotations

import copy
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

if sys.platform != "win32":  # on Windows the threads' lock only
    import fcntl

T = TypeVar("T")
R = TypeVar("R")


class WriteLock:
    """Taken around each write transaction: `with lock.held(): BEGIN IMMEDIATE ... COMMIT`."""

    def __init__(self, database: Path | str) -> None:
        self.path = Path(f"{database}-writer.lock")
        self._threads = threading.Lock()
        self._fd: int | None = None
        if sys.platform != "win32":
            os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        # A child starts unlocked, with a file of its own: flock belongs to the open file,
        # which a child shares with its parent until it opens its own.
        self._threads = threading.Lock()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _file(self) -> int:
        # Opened once per process; its threads share it, and the Python lock orders them.
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            if sys.platform == "win32":
                yield
                return
            fd = self._file()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)


class GroupCommit(Generic[T, R]):
    """Writes that arrive while one is being committed wait, and go together in the next.

    The first caller to find no write in progress writes, with `write_many`, its own item and
    every item that came while the previous batch was being written; each caller gets its own
    item's result (or the batch's exception) only once the batch is committed. Nothing waits
    for a batch to fill: one signature alone is written at once, and under a burst the
    batches grow by themselves, one transaction and one fsync for all of their signatures.
    """

    def __init__(self, write_many: Callable[[list[T]], list[R]]) -> None:
        self.write_many = write_many
        self._state = threading.Condition()
        self._open: _Batch[T, R] | None = None
        self._writing = False
        if sys.platform != "win32":
            os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        self._state, self._open, self._writing = threading.Condition(), None, False

    def write(self, item: T) -> R:
        with self._state:
            batch = self._open = self._open or _Batch()
            index = len(batch.items)
            batch.items.append(item)
            while self._writing and not batch.done:
                self._state.wait()
            lead = not batch.done
            if lead:
                self._writing, self._open = True, None
        if lead:
            try:
                batch.results = self.write_many(batch.items)
            except BaseException as exc:  # noqa: BLE001 - every caller of the batch raises it
                batch.error = exc
            with self._state:
                batch.done, self._writing = True, False
                self._state.notify_all()
        if batch.error is not None:
            if lead:
                raise batch.error
            raise copy.copy(batch.error) from batch.error  # each thread its own traceback
        return batch.results[index]


class _Batch(Generic[T, R]):
    def __init__(self) -> None:
        self.items: list[T] = []
        self.results: list[R] = []
        self.error: BaseException | None = None
        self.done = False
