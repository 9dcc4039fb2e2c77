"""What the guard costs per request: µs per check, cheapest first, and the whole screen.

    .venv/bin/python bench/guard.py [ROUNDS]

Uses a local store in a temporary folder, and Redis at 127.0.0.1:6379 when it answers
(keys under a prefix of this run, deleted at the end). Prints figures; asserts nothing
about time.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = Path(tempfile.mkdtemp(prefix="lantern-bench-guard-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
os.environ["LANTERN_VAR_DIR"] = str(TMP)
os.environ["POW_DIFFICULTY"] = "1000"

import django  # noqa: E402

django.setup()

import altcha  # noqa: E402
from django.conf import settings  # noqa: E402

from lantern.conf import parse_rates  # noqa: E402
from lantern.guard import Kind, screen  # noqa: E402
from lantern.guard.checks import check_honeypot, check_size  # noqa: E402
from lantern.guard.clients import client_address, client_key  # noqa: E402
from lantern.guard.pow import issue_challenge, verify_solution  # noqa: E402
from lantern.guard.store import LocalStore, RedisStore, Store  # noqa: E402

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
RATES = parse_rates("1000000/minute:1000000")


def per_call(label: str, call: Callable[[int], object], rounds: int = ROUNDS) -> None:
    start = time.perf_counter()
    for n in range(rounds):
        call(n)
    micros = (time.perf_counter() - start) / rounds * 1e6
    print(f"{label:<52} {micros:10.1f} µs")


def solutions(count: int) -> list[str]:
    out = []
    for _ in range(count):
        challenge = altcha.Challenge.from_dict(issue_challenge())
        solution = altcha.solve_challenge(challenge)
        assert solution is not None
        out.append(altcha.Payload(challenge, solution).to_base64())
    return out


def bench_store(name: str, store: Store) -> None:
    per_call(f"rate limit, {name}: one take", lambda n: store.take(f"b:{n % 50}", RATES))
    per_call(f"rate limit, {name}: 4 takes (a sign request)", lambda n: [
        store.take(f"b:{k}:{n % 50}", RATES) for k in range(4)
    ])  # fmt: skip
    payloads = solutions(min(ROUNDS, 500))
    per_call(
        f"proof-of-work, {name}: verify and spend",
        lambda n: verify_solution(payloads[n], store=store),
        len(payloads),
    )
    more = solutions(min(ROUNDS, 500))
    per_call(
        f"whole screen(), {name}",
        lambda n: screen(
            Kind.SIGN,
            peer="203.0.113.7",
            campaign="write-for-rights",
            pow_payload=more[n],
            content_length=900,
            honeypot="",
            store=store,
        ),
        len(more),
    )


def main() -> None:
    settings.SIGN_RATE_CLIENT_SOFT = settings.SIGN_RATE_CLIENT_HARD = RATES
    settings.SIGN_RATE_CAMPAIGN_SOFT = settings.SIGN_RATE_CAMPAIGN_HARD = RATES
    print(f"Lantern's guard, {ROUNDS} rounds (POW_DIFFICULTY={settings.POW_DIFFICULTY})")
    per_call("size and honeypot", lambda n: (check_size(Kind.SIGN, "900"), check_honeypot("")))
    per_call(
        "client address behind proxies + keyed hash",
        lambda n: client_key(client_address("203.0.113.7", "198.51.100.1")),
    )
    per_call("issue a challenge", lambda n: issue_challenge())
    bench_store("local SQLite", LocalStore(TMP / "guard.sqlite3"))
    redis_store = RedisStore("redis://127.0.0.1:6379/0", f"lantern-bench:{uuid.uuid4().hex}:")
    try:
        redis_store.redis.ping()
    except Exception:  # noqa: BLE001 - any failure means: no Redis here
        print("Redis: not answering at 127.0.0.1:6379, skipped")
        return
    try:
        bench_store("Redis", redis_store)
    finally:
        keys = list(redis_store.redis.scan_iter(match=redis_store.prefix + "*"))
        if keys:
            redis_store.redis.delete(*keys)


if __name__ == "__main__":
    main()
