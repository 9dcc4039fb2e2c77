"""Factories for tests: small, explicit, one call per object a test needs."""

from __future__ import annotations

import itertools
import signal
import socket
from datetime import date
from typing import Any

from django.core.management import call_command
from django.db import connection
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


def row_counts(ignored: frozenset[str] = frozenset()) -> tuple[int, ...]:
    """How many rows each table holds (but `ignored`), in one query: equal before and after
    a refused request when it wrote nothing."""
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - ignored)
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608 - table names
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + counts)  # noqa: S608 - from the introspection, not input
        return tuple(cursor.fetchone() or ())
