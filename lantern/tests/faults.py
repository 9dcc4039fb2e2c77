"""What the fault tests share: a PostgreSQL database of their own, processes started and
SIGKILLed as production runs them, and supporters' browsers that fill the public forms.

The fault tests run real processes (`manage.py serve`, `import_actions`, `db_worker`), which
cannot see pytest-django's test database (it lives inside the test's transaction). Each
test gets a fresh database copied from one migrated once per run, points the test's own
connection at it (`FaultDatabase.as_default`), and drops it afterwards.

The form bodies are built in one place each, `sign_form_body` and `letter_form_body`: the
hidden fields of the page's form (CSRF token, the letter's one-time key) plus what the
supporter types. A check a public form adds later (a proof-of-work solution, a honeypot)
is added there.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlencode, urlsplit

import altcha
import psycopg
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections

from lantern.testing import free_port

# Known secrets for the processes, so that the test can compute what they store.
SECRET_KEY = "fault-tests-secret-key-" + "x" * 40
DEDUPE_KEY = "fault-tests-dedupe-key"


# --- A database of their own -------------------------------------------------------------


def _server_url(name: str) -> str:
    db = connections["default"].settings_dict
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{name}"


def writing_ledger_rows(database: str) -> bool:
    """Whether a connection to `database` is, this moment, inserting rows into the ledger
    (an INSERT or COPY into actions_action: inside its transaction, before any commit)."""
    with psycopg.connect(_server_url("postgres"), autocommit=True, connect_timeout=10) as conn:
        found = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
            "AND query ~* '^\\s*(insert\\s+into|copy)\\s+\"?actions_action\"?[\\s(]'",
            (database,),
        ).fetchone()
    return bool(found and found[0])


def _admin(sql: str) -> None:
    with psycopg.connect(_server_url("postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.encode())  # names made by the fault tests, not input


@dataclass
class FaultRun:
    """One per pytest process: a migrated template database and a folder for the processes'
    keys and collected static files (production serves them through WhiteNoise)."""

    template: str
    var_dir: Path

    def env(self, database: str, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": _server_url(database),
            "LANTERN_VAR_DIR": str(self.var_dir),
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "DEDUPE_KEY": DEDUPE_KEY,
            "DB_CONN_MAX_AGE": "60",
            **extra,
        }

    @classmethod
    def prepare(cls, var_dir: Path) -> FaultRun:
        run = cls(f"lantern_faults_{os.getpid()}_template", var_dir)
        _admin(f'DROP DATABASE IF EXISTS "{run.template}"')
        _admin(f'CREATE DATABASE "{run.template}"')
        for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
            manage(command, run.env(run.template), timeout=300)
        return run

    def drop(self) -> None:
        _admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')

    @contextmanager
    def database(self) -> Iterator[FaultDatabase]:
        name = f"lantern_faults_{os.getpid()}_{secrets.token_hex(4)}"
        _admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        try:
            yield FaultDatabase(self, name)
        finally:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class FaultDatabase:
    run: FaultRun
    name: str

    def env(self, **extra: str) -> dict[str, str]:
        return self.run.env(self.name, **extra)

    @contextmanager
    def as_default(self) -> Iterator[None]:
        """Point this process's default connection at the fault database, as Django points
        it at a test database, so that factories and services work on what the processes
        see."""
        connection = connections["default"]
        connection.close()
        old = connection.settings_dict["NAME"]
        connection.settings_dict["NAME"] = self.name
        ContentType.objects.clear_cache()  # ids differ between databases
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["NAME"] = old
            ContentType.objects.clear_cache()


def manage(args: list[str], env: dict[str, str], *, timeout: float) -> str:
    """Run a management command to its end; its output, or a failure showing it."""
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


# --- Processes started, and killed, as production runs them -------------------------------


class Process:
    """A management command in a process group of its own, so that SIGKILL reaches every
    process it starts (granian's workers)."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args = args
        self.env = env
        self.log_path = log
        self._log: IO[bytes] | None = None
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._log = self.log_path.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *self.args],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group, and wait until none of it is left."""
        assert self.popen is not None
        with suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _group_alive(self.pid):
            assert time.monotonic() < deadline, f"process group {self.pid} survived SIGKILL"
            time.sleep(0.05)
        self._close_log()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL whatever is left."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=20)
        if _group_alive(self.pid):
            self.kill()
        self._close_log()

    def wait(self, timeout: float) -> int:
        assert self.popen is not None
        code = self.popen.wait(timeout=timeout)
        self._close_log()
        return code

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Server(Process):
    """The production server: `manage.py serve` (granian, several worker processes)."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 4):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        args = ["serve", "--port", str(self.port), "--workers", str(workers)]
        super().__init__([*args, "--threads", str(threads)], env, log)

    def start_and_wait(self, probe: str, timeout: float = 90) -> None:
        """Start, and return once `probe` answers 200 (every worker may still be starting)."""
        self.start()
        deadline = time.monotonic() + timeout
        while True:
            try:
                status, _, _ = request("GET", self.base_url + probe, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            assert self.running(), f"the server exited:\n{self.output()[-3000:]}"
            assert time.monotonic() < deadline, f"no answer in {timeout} s:\n{self.output()}"
            time.sleep(0.1)


# --- Supporters' browsers -------------------------------------------------------------------


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, dict[str, list[str]], bytes]:
    """One HTTP request on a connection of its own; redirects are returned, not followed.
    Raises OSError (refused, reset, timed out) when the server does not answer."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(
            method, path, body=body, headers={"Connection": "close", **(headers or {})}
        )
        response = connection.getresponse()
        content = response.read()
        answer: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            answer.setdefault(name.lower(), []).append(value)
        return response.status, answer, content
    except http.client.HTTPException as exc:  # a half-written answer: no answer
        raise ConnectionError(str(exc)) from exc
    finally:
        connection.close()


@dataclass
class Browser:
    """One supporter's browser: it keeps its cookies (the CSRF cookie) and sends forms. With
    `address`, it comes through the trusted proxy on loopback, from that address (each
    supporter has their own rate limits, as behind a real load balancer)."""

    base_url: str
    address: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30

    def _headers(self) -> dict[str, str]:
        jar = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": jar} if jar else {}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        return headers

    def solve_pow(self) -> str:
        """What the page's proof-of-work widget sends: the server's challenge, solved."""
        status, text = self.get("/api/v1/challenge")
        if status != 200:
            raise ConnectionError(f"no challenge: {status}")  # sent again, like no answer
        challenge = altcha.Challenge.from_dict(json.loads(text))
        solution = altcha.solve_challenge(challenge, timeout=30)
        assert solution is not None
        return str(altcha.Payload(challenge, solution).to_base64())

    def _keep_cookies(self, headers: dict[str, list[str]]) -> None:
        for line in headers.get("set-cookie", []):
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(line)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})

    def get(self, path: str) -> tuple[int, str]:
        status, headers, content = request(
            "GET", self.base_url + path, headers=self._headers(), timeout=self.timeout
        )
        self._keep_cookies(headers)
        return status, content.decode("utf-8", errors="replace")

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        """POST a form; the status and the Location it redirects to ("" if none)."""
        headers = {
            **self._headers(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": self.base_url + path,
            "Origin": self.base_url,
        }
        status, answer, _ = request(
            "POST",
            self.base_url + path,
            body=urlencode(fields).encode(),
            headers=headers,
            timeout=self.timeout,
        )
        self._keep_cookies(answer)
        return status, (answer.get("location") or [""])[0]


class _FormFields(HTMLParser):
    """The hidden fields of the form that posts to `action`."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = values.get("action") == self.action
        elif tag == "input" and self.inside and values.get("type") == "hidden":
            self.fields[values.get("name", "")] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def hidden_fields(page: str, action: str) -> dict[str, str]:
    parser = _FormFields(action)
    parser.feed(page)
    assert parser.fields, f"no form posting to {action} on the page"
    return parser.fields


@dataclass(frozen=True)
class Signer:
    name: str
    email: str
    country: str = "PL"
    consent_letter: bool = True


@dataclass(frozen=True)
class LetterDraft:
    text: str
    author_name: str
    author_country: str = "PL"


def sign_form_body(page: str, action: str, signer: Signer) -> dict[str, str]:
    """What a browser sends from the campaign page's sign form."""
    body = {
        **hidden_fields(page, action),
        "name": signer.name,
        "name_display": "full",
        "email": signer.email,
        "country": signer.country,
        "city": "",
    }
    if signer.consent_letter:
        body["consent_letter"] = "on"
    return body


def letter_form_body(page: str, action: str, letter: LetterDraft) -> dict[str, str]:
    """What a browser sends from the write page's form (with its one-time key)."""
    return {
        "kind": "letter",
        **hidden_fields(page, action),
        "text": letter.text,
        "author_name": letter.author_name,
        "author_country": letter.author_country,
        "author_email": "",
    }
