"""Factories for tests: small, explicit, one call per object a test needs."""

from __future__ import annotations

import itertools
import signal
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from django.core.management import call_command
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from actions.types import ActionType
from campaigns.models import Campaign
from cases.models import Case
from partners.models import Partner

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from playwright.sync_api import Page

_numbers = itertools.count(1)

# How browser tests start Debian's chromium: headless, and quiet (no requests of its own).
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class WatchedTab:
    """A browser tab whose requests, uncaught errors, console errors and failed responses
    are noted, so that a test can say the page loaded cleanly from the live server alone."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.problems == []  # noqa: S101 - a test helper
        strangers = [url for url in self.requests if not url.startswith(self.origin + "/")]
        assert strangers == []  # noqa: S101 - a test helper


def watch(page: Page, origin: str) -> WatchedTab:
    """Start noting what `page` asks for and what goes wrong (favicon.ico is excused):
    failed responses, and what `watch_console` notes (CSP violations, console errors,
    uncaught exceptions)."""
    tab = WatchedTab(page, origin)
    page.on("request", lambda request: tab.requests.append(request.url))
    watch_console(page, tab.problems)
    page.on(
        "response",
        lambda r: (
            tab.problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and urlsplit(r.url).path != "/favicon.ico"
            else None
        ),
    )
    return tab


def free_port() -> int:
    """A TCP port on loopback that nothing listens on (for servers a test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_case(**fields: Any) -> Case:
    n = next(_numbers)
    values: dict[str, Any] = {
        "slug": f"case-{n}",
        "name": f"Case {n}",
        "country": "BY",
        "status": Case.Status.SENTENCED,
        "story": "Imprisoned for defending human rights.",
    }
    values.update(fields)
    return Case.objects.create(**values)


def make_partner(**fields: Any) -> Partner:
    n = next(_numbers)
    values: dict[str, Any] = {"slug": f"partner-{n}", "name": f"Partner {n}", "country": "PL"}
    values.update(fields)
    return Partner.objects.create(**values)


def make_campaign(
    *, cases: list[Case] | None = None, partners: list[Partner] | None = None, **fields: Any
) -> Campaign:
    """A live campaign for one new case, taking every action type, unless told otherwise."""
    n = next(_numbers)
    values: dict[str, Any] = {
        "slug": f"campaign-{n}",
        "title": f"Campaign {n}",
        "starts_on": date(2012, 12, 7),
        "status": Campaign.Status.LIVE,
        "action_types": list(ActionType.values),
    }
    values.update(fields)
    campaign = Campaign.objects.create(**values)
    campaign.cases.add(*(cases if cases is not None else [make_case()]))
    if partners:
        campaign.partners.add(*partners)
    return campaign


def run_task_worker() -> None:
    """Run every queued task as production's worker does, then check that none failed."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {sig: signal.getsignal(sig) for sig in signals}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:  # the worker installs its own handlers; give Ctrl-C back to pytest
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    failed = DBTaskResult.objects.exclude(status="SUCCESSFUL")
    assert not failed.exists(), [(t.status, t.traceback) for t in failed]  # noqa: S101


@contextmanager
def signed_in_browser(
    chromium: str, server_url: str, user: User
) -> Iterator[tuple[Page, list[str]]]:
    """Debian's chromium with `user` signed in to the live server at `server_url`: the page
    (downloads accepted), and every URL it requests, to check that it asks no other host.
    A CSP violation, console error or uncaught exception on the page fails the test.
    The test sets DJANGO_ALLOW_ASYNC_UNSAFE (Playwright runs an event loop in the thread)."""
    from django.conf import settings
    from django.db import connections
    from django.test import Client
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    host = urlsplit(server_url).hostname or "127.0.0.1"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(accept_downloads=True)
            name = settings.SESSION_COOKIE_NAME
            context.add_cookies([{"name": name, "value": session, "domain": host, "path": "/"}])
            page = context.new_page()
            page.set_default_timeout(15_000)
            requested: list[str] = []
            problems: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            watch_console(page, problems)
            yield page, requested
            assert problems == []  # noqa: S101
        finally:
            connections.close_all()
            browser.close()


def solve_pow() -> str:
    """A real solution to a fresh proof-of-work challenge, as a browser would send it (the
    tests' POW_DIFFICULTY is low, so this takes a few hashes)."""
    import altcha

    from lantern.guard.pow import issue_challenge

    challenge = altcha.Challenge.from_dict(issue_challenge())
    solution = altcha.solve_challenge(challenge, timeout=30)
    assert solution is not None  # noqa: S101
    return str(altcha.Payload(challenge, solution).to_base64())


def with_pow(data: dict[str, Any]) -> dict[str, Any]:
    """A public form's fields with a solved proof-of-work and an empty honeypot."""
    return {**data, "altcha": solve_pow(), "website": ""}


# Browser tests add this to every page: a Content-Security-Policy violation becomes a console
# error, which each test's console watch reports as a problem (so a test fails on it).
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
    (event.blockedURI || "inline") + " in " + event.sourceFile + ":" + event.lineNumber);
});
"""


def watch_console(page: Any, problems: list[str]) -> None:
    """Fail-worthy things on `page` go into `problems`: CSP violations, console errors and
    uncaught exceptions (a failed response is left to the test, which may expect one)."""
    page.add_init_script(CSP_REPORTER)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda m: (
            problems.append(f"console: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )


# What a hostile supporter types into a name, a letter or a caption.
HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '"><svg onload=alert(1)>',
]


def assert_inert(html: str, *, shown: bool = True) -> None:
    """None of HOSTILE_TEXTS became markup in `html`; with `shown`, they are there as text."""
    for payload in HOSTILE_TEXTS:
        assert payload not in html  # noqa: S101
    for markup in ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:'):
        assert markup not in html  # noqa: S101
    if shown:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # noqa: S101


def row_counts(ignored: frozenset[str] = frozenset()) -> tuple[int, ...]:
    """How many rows each table holds (but `ignored`), in one query: equal before and after
    a refused request when it wrote nothing."""
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - ignored)
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608 - table names
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + counts)  # noqa: S608 - from the introspection, not input
        return tuple(cursor.fetchone() or ())


T = TypeVar("T")
R = TypeVar("R")


def at_once(call: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`call(item)` for every item, each in its own thread, all released at the same moment
    (tests of races); each thread closes its database connections. The results, in the
    items' order; any thread's exception fails the test."""
    barrier = threading.Barrier(len(items))
    results: dict[int, R] = {}
    errors: list[BaseException] = []

    def run(index: int, item: T) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call(item)
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors  # noqa: S101 - a test helper
    return [results[index] for index in range(len(items))]
