"""The guard's stores: a token bucket with a burst per key, shared between processes
(local SQLite file) or machines (Redis), and challenges spent once."""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import require_part
from lantern.conf import parse_rates
from lantern.guard.store import LocalStore, RedisStore, Store
from lantern.tests.guard_worker import take_many

MINUTE = 60_000
T0 = 1_800_000_000_000  # a fixed moment, in milliseconds; each test moves its own clock


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis(socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["local", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "local":
        yield LocalStore(tmp_path / "guard.sqlite3")
        return
    require_part(_redis_available(), "needs Redis at 127.0.0.1:6379 (apt-get install redis)")
    prefix = f"lantern-test:{uuid.uuid4().hex}:"
    redis_store = RedisStore("redis://127.0.0.1:6379/0", prefix)
    try:
        yield redis_store
    finally:  # only this run's keys: the server is shared
        keys = list(redis_store.redis.scan_iter(match=prefix + "*"))
        if keys:
            redis_store.redis.delete(*keys)


def test_a_burst_passes_at_once_and_the_next_waits(store: Store) -> None:
    rates = parse_rates("6/minute:3")  # one every 10 s on average, three at once
    assert [store.take("k", rates, T0).allowed for _ in range(4)] == [True, True, True, False]
    refused = store.take("k", rates, T0)
    assert 1 <= refused.retry_after_s <= 10
    assert store.take("k", rates, T0 + 10_000).allowed  # one token back after 10 s
    assert not store.take("k", rates, T0 + 10_000).allowed


def test_every_rate_of_a_key_must_have_room(store: Store) -> None:
    rates = parse_rates("100/minute,2/hour")
    assert store.take("k", rates, T0).allowed
    assert store.take("k", rates, T0 + 1).allowed
    assert not store.take("k", rates, T0 + MINUTE).allowed  # the hourly one is spent


def test_keys_are_counted_apart(store: Store) -> None:
    rates = parse_rates("1/minute")
    assert store.take("a", rates, T0).allowed
    assert store.take("b", rates, T0).allowed
    assert not store.take("a", rates, T0).allowed


def test_peek_spends_nothing(store: Store) -> None:
    rates = parse_rates("1/minute")
    assert store.peek("k", rates, T0).allowed
    assert store.peek("k", rates, T0).allowed
    assert store.take("k", rates, T0).allowed
    assert not store.peek("k", rates, T0).allowed


def test_a_key_is_spent_once(store: Store) -> None:
    assert store.spend_once("pow:abc", 60_000) is True
    assert store.spend_once("pow:abc", 60_000) is False
    assert store.spend_once("pow:def", 60_000) is True


def test_the_local_store_counts_once_across_processes(tmp_path: Path) -> None:
    """`manage.py serve` runs several processes: together they get the burst, no more."""
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[int] = context.Queue()
    path = str(tmp_path / "guard.sqlite3")
    workers = [context.Process(target=take_many, args=(path, 8, queue)) for _ in range(3)]
    for worker in workers:
        worker.start()
    allowed = sum(queue.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    assert allowed == 10


def test_take_all_decides_as_one_take_after_another(store: Store) -> None:
    """A request's limits in one round trip: the hard ones in order until one refuses, then
    every soft one; the same counts as taking them one by one."""
    hard_a, hard_b = parse_rates("2/minute"), parse_rates("3/minute")
    soft = parse_rates("1/minute")
    hard = [("hard:a", hard_a), ("hard:b", hard_b)]
    first = store.take_all(hard, [("soft", soft)], T0)
    assert first.refused is None and not first.held
    second = store.take_all(hard, [("soft", soft)], T0)
    assert second.refused is None and second.held  # the soft limit is passed: held
    third = store.take_all(hard, [("soft", soft)], T0)
    assert third.refused is not None and 1 <= third.refused.retry_after_s <= 30
    # The refusal stopped there: "hard:b" kept its third unit, nothing else was spent.
    assert store.take("hard:b", hard_b, T0).allowed
    assert not store.take("hard:b", hard_b, T0).allowed
    assert store.take_all([], [], T0) == first.__class__(None, False)


def test_take_all_spends_a_key_once_unless_a_hard_limit_refuses(store: Store) -> None:
    hard = [("hard", parse_rates("1/minute"))]
    first = store.take_all(hard, [], T0, spend=("pow:one", 60_000))
    assert first.refused is None and first.spent is True
    refused = store.take_all(hard, [], T0, spend=("pow:two", 60_000))
    assert refused.refused is not None  # refused before the key was spent...
    assert store.spend_once("pow:two", 60_000) is True  # ...so it is still unspent
    again = store.take_all([], [], T0, spend=("pow:one", 60_000))
    assert again.refused is None and again.spent is False


def test_the_redis_client_parses_replies_with_hiredis() -> None:
    """Every signature makes one round trip to Redis; redis-py's own parser in Python cost
    about 7% of the sign path's throughput (docs/PERFORMANCE.md)."""
    import redis.utils

    assert redis.utils.HIREDIS_AVAILABLE
