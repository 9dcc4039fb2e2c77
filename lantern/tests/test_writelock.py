"""The SQLite writers' lock excludes threads and processes, a forked child included."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from pathlib import Path

import pytest

from lantern.writelock import WriteLock

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock: POSIX only")

ROUNDS = 40


def bump(lock: WriteLock, counter: Path, rounds: int) -> None:
    """Read, wait, write: any two writers inside at once lose an increment."""
    for _ in range(rounds):
        with lock.held():
            value = int(counter.read_text())
            time.sleep(0.0005)
            counter.write_text(str(value + 1))


def test_threads_and_forked_processes_write_one_at_a_time(tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    counter.write_text("0")
    lock = WriteLock(tmp_path / "db.sqlite3")
    bump(lock, counter, 1)  # opened in this process before the fork, as a server's master may
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=bump, args=(lock, counter, ROUNDS)) for _ in range(2)]
    threads = [threading.Thread(target=bump, args=(lock, counter, ROUNDS)) for _ in range(2)]
    for child in children:
        child.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for child in children:
        child.join(timeout=60)
    assert [child.exitcode for child in children] == [0, 0]
    assert int(counter.read_text()) == 1 + 4 * ROUNDS


def test_a_waiting_process_gets_the_lock_when_it_is_released(tmp_path: Path) -> None:
    lock = WriteLock(tmp_path / "db.sqlite3")
    context = multiprocessing.get_context("fork")
    done = context.Event()

    def wait_then_take() -> None:
        with lock.held():
            done.set()

    with lock.held():
        child = context.Process(target=wait_then_take)
        child.start()
        assert not done.wait(0.3)  # held here: the other process waits
    assert done.wait(30)  # released: it gets it
    child.join(timeout=30)
    assert child.exitcode == 0
    assert lock.path == tmp_path / "db.sqlite3-writer.lock"
