"""Factories for tests: small, explicit, one call per object a test needs."""

from __future__ import annotations

import itertools
import signal
import socket
from datetime import date
from typing import Any

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from actions.types import ActionType
from campaigns.models import Campaign
from cases.models import Case
from partners.models import Partner

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
