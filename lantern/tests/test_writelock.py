"""The SQLite writers' lock excludes threads and processes, a forked child included; writes
that arrive during a commit share the next one."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from pathlib import Path

import pytest

from lantern.writelock import GroupCommit, WriteLock

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


# --- GroupCommit ------------------------------------------------------------------------------


def test_writes_arriving_during_a_commit_share_the_next_and_each_gets_its_own_result() -> None:
    first_inside, release = threading.Event(), threading.Event()
    batches: list[list[int]] = []

    def write_many(items: list[int]) -> list[int]:
        batches.append(list(items))
        if len(batches) == 1:
            first_inside.set()
            assert release.wait(30)
        return [item * 10 for item in items]

    group: GroupCommit[int, int] = GroupCommit(write_many)
    results: dict[int, int] = {}

    def write(item: int) -> None:
        results[item] = group.write(item)

    first = threading.Thread(target=write, args=(0,))
    first.start()
    assert first_inside.wait(30)  # the first batch is being written: the others wait for it
    waiting = [threading.Thread(target=write, args=(n,)) for n in range(1, 6)]
    for thread in waiting:
        thread.start()
    deadline = time.monotonic() + 30
    while len(group._open.items if group._open else []) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in [first, *waiting]:
        thread.join(timeout=30)
    assert batches[0] == [0] and sorted(batches[1]) == [1, 2, 3, 4, 5] and len(batches) == 2
    assert results == {n: n * 10 for n in range(6)}


def test_a_failed_batch_fails_for_every_writer_in_it_and_the_next_one_is_written() -> None:
    calls: list[list[str]] = []

    def write_many(items: list[str]) -> list[str]:
        calls.append(items)
        if "bad" in items:
            raise ValueError("the disk is full")
        return [item.upper() for item in items]

    group: GroupCommit[str, str] = GroupCommit(write_many)
    with pytest.raises(ValueError, match="the disk is full"):
        group.write("bad")
    assert group.write("good") == "GOOD"  # nothing left held: the next write goes through
    assert calls == [["bad"], ["good"]]
