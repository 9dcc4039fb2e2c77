"""The parts every benchmark shares: databases, servers, wrk, and the figures' format.

Every server is started the way production starts it (`manage.py serve`: granian, WSGI,
production settings: DEBUG off, durable commits) on a free loopback port, and stopped by
the process group it was started in. PostgreSQL databases are made for one run
(`bench_lantern_<pid>_<n>`) and dropped afterwards; SQLite files live in a temporary folder.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
# The guard's store on PostgreSQL runs (keys under a prefix of the run's database).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
_numbers = itertools.count(1)


class CorrectnessError(Exception):
    """Lost or duplicated rows, or totals that differ from the ledger: the run fails."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def say(text: str = "") -> None:
    print(text, flush=True)


# --- Databases ----------------------------------------------------------------------------


@dataclass
class Database:
    """One database for one benchmark: `env` points Lantern's settings at it."""

    vendor: str  # "sqlite" or "postgresql"
    var_dir: Path
    url: str = ""  # DATABASE_URL; empty for SQLite
    name: str = ""

    @property
    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_URL", "DJANGO_SETTINGS"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "lantern.settings",
                "DEBUG": "0",
                "LANTERN_VAR_DIR": str(self.var_dir),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT),
            }
        )
        env.update(self.guard_env)
        if self.url:
            env["DATABASE_URL"] = self.url
        return env

    @property
    def guard_env(self) -> dict[str, str]:
        """The guard as in front of a real burst of supporters: every request comes through
        the trusted proxy on loopback from its own address (X-Forwarded-For), the campaign's
        limits are raised (a burst of real supporters, not one client), and the proof-of-work
        is cheaper to solve (BENCH_POW_DIFFICULTY; checking a solution costs the server the
        same two HMACs at any difficulty). PostgreSQL runs keep the guard's state in Redis,
        SQLite runs in the local store, as production would."""
        unlimited = "1000000000/minute"
        env = {
            "TRUSTED_PROXIES": "127.0.0.1/32,::1/128",
            "SIGN_RATE_CAMPAIGN_SOFT": unlimited,
            "SIGN_RATE_CAMPAIGN_HARD": unlimited,
            "POW_DIFFICULTY": os.environ.get("BENCH_POW_DIFFICULTY", "100"),
            "POW_MAX_AGE_SECONDS": "3600",
        }
        if self.vendor == "postgresql":
            env["REDIS_URL"] = REDIS_URL
            env["REDIS_KEY_PREFIX"] = f"bench:{self.name}:"
        return env

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.vendor == "postgresql" else "SQLite"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False
    return True


_shared: dict[str, Database] | None = None


@contextlib.contextmanager
def shared_databases(enabled: bool) -> Iterator[None]:
    """With `enabled` (tiny runs), every benchmark of the run uses one database per vendor,
    migrated once; the benchmarks' slugs differ, so they do not meet."""
    global _shared
    if not enabled:
        yield
        return
    _shared = {}
    try:
        yield
    finally:
        for db in _shared.values():
            _drop(db)
        _shared = None


def _forget_guard_keys(prefix: str) -> None:
    import redis

    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}*", count=10_000))
        for start in range(0, len(keys), 10_000):
            client.delete(*keys[start : start + 10_000])


def _drop(db: Database) -> None:
    if db.name:
        _forget_guard_keys(db.guard_env["REDIS_KEY_PREFIX"])
        _admin(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
        db.name = ""
    shutil.rmtree(db.var_dir, ignore_errors=True)


@contextlib.contextmanager
def database(vendor: str) -> Iterator[Database]:
    """A new, migrated database with static files collected; removed afterwards."""
    if _shared is not None and vendor in _shared:
        yield _shared[vendor]
        return
    var_dir = Path(tempfile.mkdtemp(prefix="lantern-bench-"))
    db = Database(vendor, var_dir)
    if vendor == "postgresql":
        db.name = f"bench_lantern_{os.getpid()}_{next(_numbers)}"
        _admin(f'CREATE DATABASE "{db.name}"')
        base = POSTGRES_URL.rsplit("/", 1)[0]
        db.url = f"{base}/{db.name}"
    if _shared is not None:
        _shared[vendor] = db  # dropped when the run ends
        manage(db, "migrate", "--no-input", "-v0")
        manage(db, "collectstatic", "--no-input", "-v0")
        yield db
        return
    try:
        manage(db, "migrate", "--no-input", "-v0")
        manage(db, "collectstatic", "--no-input", "-v0")
        yield db
    finally:
        _drop(db)


def manage(db: Database, *args: str, timeout: float = 3600) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=db.env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result.stdout


def task(db: Database, name: str, **params: Any) -> Any:
    """Run one step of `bench/steps.py` in a fresh process against `db`; its JSON result."""
    result = subprocess.run(
        [PYTHON, str(BENCH / "steps.py"), name, json.dumps(params)],
        cwd=ROOT,
        env=db.env,
        capture_output=True,
        text=True,
        timeout=7200,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"step {name} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Servers ------------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


def _wait_until_up(server: Server, path: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited:\n{server.log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(server.base + path, timeout=5):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer within {timeout} s")


def _start(argv: list[str], env: dict[str, str], log_dir: Path, port: int, path: str) -> Server:
    log = log_dir / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own commands
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(port, process, log)
    try:
        _wait_until_up(server, path)
    except BaseException:
        server.stop()
        raise
    return server


@contextlib.contextmanager
def lantern_server(
    db: Database, *, workers: int | None = None, threads: int | None = None, path: str = "/"
) -> Iterator[Server]:
    """Lantern as production serves it: `manage.py serve` (granian) with production settings."""
    port = free_port()
    argv = [PYTHON, "manage.py", "serve", "--port", str(port)]
    if workers:
        argv += ["--workers", str(workers)]
    if threads:
        argv += ["--threads", str(threads)]
    server = _start(argv, db.env, db.var_dir, port, path)
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def ceiling_server(log_dir: Path) -> Iterator[Server]:
    """The reference: a minimal Django view under gunicorn, 4 workers x 4 threads."""
    port = free_port()
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    argv = [
        gunicorn,
        "--workers",
        "4",
        "--threads",
        "4",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--chdir",
        str(BENCH),
        "ceiling:application",
    ]
    env = {**os.environ, "PYTHONPATH": str(BENCH)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = _start(argv, env, log_dir, port, "/")
    try:
        yield server
    finally:
        server.stop()


# --- wrk ----------------------------------------------------------------------------------


@dataclass
class Load:
    """What one wrk run measured."""

    requests: int
    seconds: float
    statuses: dict[int, int]
    socket_errors: int
    p50_ms: float
    p99_ms: float
    extra: dict[str, Any] = field(default_factory=dict)
    # CPU per request during the load, by group (cpu_ms_per_request); empty off Linux.
    cpu_ms: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def count(self, *statuses: int) -> int:
        return sum(self.statuses.get(s, 0) for s in statuses)

    def rate_of(self, *statuses: int) -> float:
        return self.count(*statuses) / self.seconds if self.seconds else 0.0


# What each process is counted as in the CPU accounting of a load (by its command name).
CPU_GROUPS = {
    "granian": "server",
    "gunicorn": "server",
    "postgres": "PostgreSQL",
    "redis-server": "Redis",
}


def cpu_ticks() -> tuple[int, dict[str, int]]:
    """The machine's busy CPU ticks (/proc/stat: everything but idle and iowait) and each
    group's (CPU_GROUPS; the rest is the kernel's network work, other processes, the
    harness), with the harness's finished children (wrk) as 'wrk'. Linux only: elsewhere
    (0, {})."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    except OSError:
        return 0, {}
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields)
    groups: dict[str, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        group = CPU_GROUPS.get(name)
        if group is not None:
            rest = stat[stat.rindex(")") + 2 :].split()
            groups[group] = groups.get(group, 0) + int(rest[11]) + int(rest[12])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    groups["wrk"] = round((children.ru_utime + children.ru_stime) * os.sysconf("SC_CLK_TCK"))
    return user + nice + system + irq + softirq + steal, groups


def cpu_ms_per_request(
    before: tuple[int, dict[str, int]], after: tuple[int, dict[str, int]], requests: int
) -> dict[str, float]:
    """Milliseconds of CPU per request, by group and in all ('all': the whole machine)."""
    if not requests or not after[0]:
        return {}
    ms = 1000 / os.sysconf("SC_CLK_TCK") / requests
    spent = {g: (after[1].get(g, 0) - before[1].get(g, 0)) * ms for g in set(after[1])}
    spent = {g: v for g, v in spent.items() if v > 0}
    spent["all"] = (after[0] - before[0]) * ms
    spent["other"] = max(0.0, spent["all"] - sum(v for g, v in spent.items() if g != "all"))
    return spent


def wrk(
    url: str,
    script: str,
    *,
    seconds: float,
    connections: int,
    threads: int = 2,
    env: dict[str, str] | None = None,
) -> Load:
    """Drive `url` with wrk for `seconds`; `script` is a Lua file in bench/ (plus the report)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write((BENCH / script).read_text())
        lua.write("\n")
        lua.write((BENCH / "wrk_report.lua").read_text())
    try:
        cpu_before = cpu_ticks()
        result = subprocess.run(
            [
                WRK,
                "--threads",
                str(min(threads, connections)),
                "--connections",
                str(connections),
                "--duration",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "--script",
                lua.name,
                url,
            ],
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=False,
        )
        cpu_after = cpu_ticks()
    finally:
        os.unlink(lua.name)
    match = re.search(r"^WRK_JSON (.*)$", result.stdout, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no figures:\n{result.stdout}\n{result.stderr}")
    data = json.loads(match.group(1))
    return Load(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        statuses={int(k): v for k, v in data["statuses"].items()},
        socket_errors=data["socket_errors"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        cpu_ms=cpu_ms_per_request(cpu_before, cpu_after, data["requests"]),
    )


def ceiling(log_dir: Path, *, seconds: float, connections: int) -> Load:
    with ceiling_server(log_dir) as server:
        wrk(  # warm-up
            server.base + "/",
            "get.lua",
            seconds=min(2.0, seconds),
            connections=connections,
            env={"BENCH_PATH": "/"},
        )
        return wrk(
            server.base + "/",
            "get.lua",
            seconds=seconds,
            connections=connections,
            env={"BENCH_PATH": "/"},
        )


# --- Printing -----------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, ready to paste into docs/PERFORMANCE.md."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}" if reference else "n/a"
