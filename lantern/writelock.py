"""One writer at a time on an SQLite file, queued without sleeping.

SQLite lets one connection write at a time. A writer that finds the file locked waits in
SQLite's busy handler, which sleeps and retries (1, 2, 5, 10 ... 100 ms), so under a burst
of signatures from several server processes a few writers sleep far longer than the lock
is held: the latency's long tail (docs/PERFORMANCE.md). `WriteLock` queues writers instead:
the threads of a process on a Python lock, the processes on an `flock` of a file next to the
database, which the kernel hands to the next waiter the moment it is released. The lock is
advisory: writers that do not take it (Django's own queries) still meet SQLite's busy handler,
as before, and SQLite's own locking keeps every write correct either way.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

if sys.platform != "win32":  # on Windows the threads' lock only
    import fcntl


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
