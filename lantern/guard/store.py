"""Where the guard keeps its counts: Redis in production, a local SQLite file otherwise.

Both keep, per key, the state of pyrate-limiter's GCRA (a token bucket kept as one
timestamp per rate: `limit` per period on average, `burst` at once), and the spent
proof-of-work challenges, so that a solution is accepted once.

- `RedisStore` (settings.REDIS_URL): pyrate-limiter's own GCRA script, so every web process
  and machine shares one count; `take` runs it for one key (`RedisStateStore`), `take_all`
  for all of a request's keys and its challenge's spending in one call. Spent challenges are
  keys set with NX and an expiry.
- `LocalStore` (the embedded setup): the same GCRA steps in one SQLite file
  (settings.GUARD_LOCAL_STORE), each `take` or `take_all` in one `BEGIN IMMEDIATE`
  transaction, so that the several processes of `manage.py serve` share one count too; a
  process's threads queue for that lock on a Python lock. Expired rows are swept now and then.
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from math import ceil
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from pyrate_limiter import GCRA, Rate
from pyrate_limiter.buckets.redis_state import RedisStateStore

from lantern.conf import RateSpec
from lantern.writelock import WriteLock

logger = logging.getLogger(__name__)
ALGORITHM = GCRA()
# One check in this many also deletes expired rows from the local store.
SWEEP_ONE_IN = 500


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_s: int = 0


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def to_rates(specs: Sequence[RateSpec]) -> list[Rate]:
    return [Rate(s.limit, s.period_ms, burst=s.burst) for s in specs]


def _ttl_ms(rates: Sequence[Rate]) -> int:
    """How long a key's state matters: until its bucket has drained, twice over."""
    return max(ceil(2 * r.burst * r.interval / r.limit) for r in rates)


def _decision(allowed: bool, retry_after_ms: int | None) -> Decision:
    if allowed:
        return Decision(True)
    return Decision(False, max(1, ceil((retry_after_ms or 1000) / 1000)))


# (key, rates) pairs, in the order they are taken.
Limited = Sequence[tuple[str, Sequence[RateSpec]]]


@dataclass(frozen=True)
class Verdict:
    """What `take_all` decided: the hard limit's refusal if one refused, else whether a soft
    limit was passed (the request goes on, held)."""

    refused: Decision | None
    held: bool
    # With a key to spend (a proof-of-work), once no hard limit refused: True if it was spent
    # now, False if it had been spent before; None when nothing was to be spent.
    spent: bool | None = None


class Store(Protocol):
    def take(self, key: str, rates: Sequence[RateSpec], now: int | None = None) -> Decision:
        """Spend one unit under every rate of `key`, or nothing if one of them is exhausted."""

    def peek(self, key: str, rates: Sequence[RateSpec], now: int | None = None) -> Decision:
        """Would `take` pass? Spends nothing."""

    def spend_once(self, key: str, ttl_ms: int) -> bool:
        """True the first time `key` is spent (within `ttl_ms`), False after."""

    def take_all(
        self,
        hard: Limited,
        soft: Limited,
        now: int | None = None,
        *,
        spend: tuple[str, int] | None = None,
    ) -> Verdict:
        """`take` for each hard limit in order, stopping at the first refusal; if none
        refuses, `take` for every soft limit and `spend_once(*spend)`: in one round trip."""


class LocalStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._writer = WriteLock(path)
        self._setup = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            with self._setup:  # two threads setting up a new file at once: one waits
                conn = self._connect()
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    @contextmanager
    def _immediate(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once; the writers of every process queue for it
        (lantern.writelock) rather than in SQLite's busy handler, which sleeps."""
        conn = self._connection()
        with self._writer.held():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bucket "
            "(key TEXT PRIMARY KEY, state TEXT NOT NULL, expires INTEGER NOT NULL) "
            "WITHOUT ROWID"
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS spent "
            "(key TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID"
        )
        return conn

    def _state(self, conn: sqlite3.Connection, key: str, rates: list[Rate], now: int) -> Any:
        row = conn.execute(
            "SELECT state FROM bucket WHERE key = ? AND expires > ?", (key, now)
        ).fetchone()
        if row is None:
            return ALGORITHM.initial(rates)
        stored = tuple(int(value) for value in row[0].split(","))
        return stored if len(stored) == len(rates) else ALGORITHM.initial(rates)

    def _step(
        self, conn: sqlite3.Connection, key: str, rates: Sequence[RateSpec], now: int
    ) -> Decision:
        pyrate = to_rates(rates)
        state, verdict = ALGORITHM.step(pyrate, self._state(conn, key, pyrate, now), now, 1)
        if verdict.allowed:
            conn.execute(
                "INSERT OR REPLACE INTO bucket (key, state, expires) VALUES (?, ?, ?)",
                (key, ",".join(str(int(v)) for v in state), now + _ttl_ms(pyrate)),
            )
        return _decision(verdict.allowed, verdict.retry_after_ms)

    def _sweep_now_and_then(self, conn: sqlite3.Connection, now: int) -> None:
        if random.randrange(SWEEP_ONE_IN) == 0:  # noqa: S311 - not for secrets
            conn.execute("DELETE FROM bucket WHERE expires <= ?", (now,))
            conn.execute("DELETE FROM spent WHERE expires <= ?", (now,))

    def take(self, key: str, rates: Sequence[RateSpec], now: int | None = None) -> Decision:
        now = now_ms() if now is None else now
        with self._immediate() as conn:
            decision = self._step(conn, key, rates, now)
            self._sweep_now_and_then(conn, now)
        return decision

    def take_all(
        self,
        hard: Limited,
        soft: Limited,
        now: int | None = None,
        *,
        spend: tuple[str, int] | None = None,
    ) -> Verdict:
        now = now_ms() if now is None else now
        with self._immediate() as conn:  # every limit of the request in one transaction
            verdict = Verdict(None, False)
            for key, rates in hard:
                decision = self._step(conn, key, rates, now)
                if not decision.allowed:
                    verdict = Verdict(decision, False)
                    break
            else:
                held = [not self._step(conn, key, rates, now).allowed for key, rates in soft]
                spent = None if spend is None else self._spend(conn, *spend, now_ms())
                verdict = Verdict(None, any(held), spent)
            self._sweep_now_and_then(conn, now)
        return verdict

    def peek(self, key: str, rates: Sequence[RateSpec], now: int | None = None) -> Decision:
        now = now_ms() if now is None else now
        pyrate = to_rates(rates)
        state = self._state(self._connection(), key, pyrate, now)
        _, verdict = ALGORITHM.step(pyrate, state, now, 1)
        return _decision(verdict.allowed, verdict.retry_after_ms)

    def _spend(self, conn: sqlite3.Connection, key: str, ttl_ms: int, now: int) -> bool:
        conn.execute("DELETE FROM spent WHERE key = ? AND expires <= ?", (key, now))
        inserted = conn.execute(
            "INSERT OR IGNORE INTO spent (key, expires) VALUES (?, ?)", (key, now + ttl_ms)
        ).rowcount
        return bool(inserted == 1)

    def spend_once(self, key: str, ttl_ms: int) -> bool:
        with self._immediate() as conn:
            return self._spend(conn, key, ttl_ms, now_ms())


class RedisStore:
    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self._errors: tuple[type[Exception], ...] = (redis.ConnectionError, redis.TimeoutError)
        self._take_all = self.redis.register_script(_TAKE_ALL_LUA)

    def take(self, key: str, rates: Sequence[RateSpec], now: int | None = None) -> Decision:
        now = now_ms() if now is None else now
        store = RedisStateStore(self.redis, self.prefix + key)
        try:
            verdict = store.check(ALGORITHM, to_rates(rates), now, 1)  # type: ignore[no-untyped-call]
        except self._errors:
            # Supporters can still sign while Redis is away; proof-of-work still applies.
            logger.exception("Rate limits not checked: Redis is not answering")
            return Decision(True)
        return _decision(verdict.allowed, verdict.retry_after_ms)

    def peek(self, key: str, rates: Sequence[RateSpec], now: int | None = None) -> Decision:
        now = now_ms() if now is None else now
        pyrate = to_rates(rates)
        try:
            state = RedisStateStore(self.redis, self.prefix + key).read(  # type: ignore[no-untyped-call]
                ALGORITHM, pyrate
            )
        except self._errors:
            logger.exception("Rate limits not checked: Redis is not answering")
            return Decision(True)
        _, verdict = ALGORITHM.step(pyrate, state, now, 1)
        return _decision(verdict.allowed, verdict.retry_after_ms)

    def take_all(
        self,
        hard: Limited,
        soft: Limited,
        now: int | None = None,
        *,
        spend: tuple[str, int] | None = None,
    ) -> Verdict:
        now = now_ms() if now is None else now
        limited = [*hard, *soft]
        keys = [self.prefix + key for key, _ in limited]
        args: list[int | float] = [len(hard), max(1, spend[1]) if spend else 0]
        for _, specs in limited:
            rates = to_rates(specs)
            step = [now, 1, _ttl_ms(rates), len(rates), *ALGORITHM.redis_args(rates)]
            args += [len(step), *step]
        if spend is not None:
            keys.append(self.prefix + spend[0])  # the last key: spent with SET NX PX
        try:
            replies = self._take_all(keys=keys, args=args)
        except self._errors:
            # Supporters can still sign while Redis is away; proof-of-work still applies.
            logger.exception("Rate limits and replays not checked: Redis is not answering")
            return Verdict(None, False, None if spend is None else True)
        *steps, spent = replies
        decisions = [
            Decision(True) if int(index) < 0 else _decision(False, int(retry))
            for index, retry in steps
        ]
        for decision in decisions[: len(hard)]:
            if not decision.allowed:
                return Verdict(decision, False)
        held = any(not d.allowed for d in decisions[len(hard) :])
        return Verdict(None, held, None if spend is None else bool(int(spent)))

    def spend_once(self, key: str, ttl_ms: int) -> bool:
        try:
            return bool(self.redis.set(self.prefix + key, b"1", nx=True, px=max(1, ttl_ms)))
        except self._errors:
            logger.exception("Proof-of-work replay not checked: Redis is not answering")
            return True


# pyrate-limiter's own GCRA script as a function, run for each key of a request in one call:
# the hard limits in order until one refuses, then (if none did) every soft limit. ARGV: the
# number of hard keys, the proof-of-work's expiry (0: none; its key is the last key), then
# for each limit's key the count of its arguments and the arguments. The last reply says
# whether the key was spent now (1), before (0), or not tried (-1).
_TAKE_ALL_LUA = (
    "local function step(KEYS, ARGV)\n"
    + (ALGORITHM.redis_script() or "")
    + """
end
local hard = tonumber(ARGV[1])
local spend_ttl = tonumber(ARGV[2])
local limited = #KEYS
if spend_ttl > 0 then
    limited = limited - 1
end
local at = 3
local replies = {}
for k = 1, limited do
    local count = tonumber(ARGV[at])
    local args = {}
    for j = 1, count do
        args[j] = ARGV[at + j]
    end
    at = at + count + 1
    local reply = step({KEYS[k]}, args)
    replies[k] = reply
    if k <= hard and tonumber(reply[1]) >= 0 then
        replies[#replies + 1] = -1
        return replies
    end
end
local spent = -1
if spend_ttl > 0 then
    spent = 0
    if redis.call('SET', KEYS[#KEYS], '1', 'NX', 'PX', spend_ttl) then
        spent = 1
    end
end
replies[#replies + 1] = spent
return replies
"""
)


@cache
def _store(redis_url: str, prefix: str, local_path: str) -> Store:
    if redis_url:
        return RedisStore(redis_url, prefix)
    return LocalStore(Path(local_path))


def get_store() -> Store:
    """The store the settings name (one per configuration and process)."""
    return _store(settings.REDIS_URL, settings.REDIS_KEY_PREFIX, str(settings.GUARD_LOCAL_STORE))
