"""Signed webhooks, end to end: recording actions enqueues a delivery; the task worker POSTs
it to a real HTTP server on loopback that first fails, then answers; the signature verifies
with the secret the partner was shown, and the waits between attempts grow exponentially."""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from conftest import Cast
from lantern.testing import make_campaign
from partners.models import WebhookDelivery
from partners.tests.helpers import report
from partners.webhooks import disable_webhook, register_webhook, retry_delay

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Receiver:
    """A partner's CRM: answers `failures` 503s (or drops the connection), then 204s."""

    failures: int = 0
    status_when_failing: int = 503
    received: list[tuple[float, dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((time.monotonic(), dict(self.headers.items()), body))
            failing = len(state.received) <= state.failures
            self.send_response(state.status_when_failing if failing else 204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/lantern-hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _fast_retries(settings: Any) -> None:
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.2
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    settings.WEBHOOK_TIMEOUT_SECONDS = 2


def run_worker_until_quiet(seconds: float = 15) -> None:
    """Run the task worker as production does until no delivery is waiting (or time is up)."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
            if not WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).exists():
                return
            time.sleep(0.05)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What the partner's server does, written from docs/PARTNERS.md, not from Lantern's code."""
    signed = headers["X-Lantern-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Lantern-Signature"])


def test_new_actions_reach_the_partner_signed_after_retries_with_backoff(
    cast: Cast, receiver: Receiver
) -> None:
    receiver.failures = 2
    endpoint, secret = register_webhook(cast.partner, receiver.url)
    campaign = make_campaign(partners=[cast.partner])

    report(campaign, cast.partner, ("evt-1", "PL", 120), ("evt-2", "JP", 1000))
    run_worker_until_quiet()

    assert len(receiver.received) == 3
    times = [t for t, _, _ in receiver.received]
    first_wait, second_wait = times[1] - times[0], times[2] - times[1]
    assert first_wait >= 0.2 and second_wait >= 0.4  # base, then twice the base
    for _, headers, body in receiver.received:
        assert verify(secret, headers, body)
        assert not verify("whsec_wrong", headers, body)
    payload = json.loads(receiver.received[-1][2])
    assert payload["event"] == "actions.created"
    assert payload["partner"] == cast.partner.slug
    assert [(a["external_id"], a["country"], a["count"]) for a in payload["actions"]] == [
        ("evt-1", "PL", 120),
        ("evt-2", "JP", 1000),
    ]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.endpoint, delivery.status, delivery.attempts) == (endpoint, "delivered", 3)
    assert delivery.last_response_status == 204
    assert payload["delivery"] == delivery.pk
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


def test_a_server_that_never_recovers_is_given_up_after_the_last_attempt(
    cast: Cast, receiver: Receiver
) -> None:
    receiver.failures = 99
    register_webhook(cast.partner, receiver.url)
    report(make_campaign(partners=[cast.partner]), cast.partner, ("evt-1", "PL", 1))

    run_worker_until_quiet()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_status) == (
        "failed",
        4,
        503,
    )
    assert len(receiver.received) == 4


def test_a_server_that_is_down_is_tried_again(cast: Cast, receiver: Receiver) -> None:
    register_webhook(cast.partner, "http://127.0.0.1:9/nobody-listens")
    report(make_campaign(partners=[cast.partner]), cast.partner, ("evt-1", "PL", 1))

    run_worker_until_quiet()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_status) == (
        "failed",
        4,
        None,
    )
    assert "refused" in delivery.last_error.lower()


def test_a_4xx_answer_is_not_tried_again(cast: Cast, receiver: Receiver) -> None:
    receiver.failures, receiver.status_when_failing = 1, 410
    register_webhook(cast.partner, receiver.url)
    report(make_campaign(partners=[cast.partner]), cast.partner, ("evt-1", "PL", 1))

    run_worker_until_quiet()

    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().status == "failed"


def test_other_partners_actions_and_removed_endpoints_send_nothing(
    cast: Cast, receiver: Receiver
) -> None:
    from lantern.testing import make_partner

    other = make_partner()
    register_webhook(cast.partner, receiver.url)
    removed, _ = register_webhook(other, receiver.url)
    disable_webhook(removed)
    campaign = make_campaign(partners=[cast.partner, other])

    report(campaign, other, ("theirs-1", "PL", 5))
    report(campaign, cast.partner, ("ours-1", "PL", 7))
    run_worker_until_quiet()

    assert len(receiver.received) == 1
    actions = json.loads(receiver.received[0][2])["actions"]
    assert [a["external_id"] for a in actions] == ["ours-1"]


def test_the_same_batch_again_sends_nothing_new(cast: Cast, receiver: Receiver) -> None:
    register_webhook(cast.partner, receiver.url)
    campaign = make_campaign(partners=[cast.partner])
    report(campaign, cast.partner, ("evt-1", "PL", 1))
    report(campaign, cast.partner, ("evt-1", "PL", 1))

    run_worker_until_quiet()

    assert WebhookDelivery.objects.count() == 1


def test_the_wait_doubles_after_each_failure(settings: Any) -> None:
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30

    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
        timedelta(seconds=240),
    ]


def test_signatures_through_the_partner_reach_its_webhook(cast: Cast, receiver: Receiver) -> None:
    from partners.tests.helpers import signer

    register_webhook(cast.partner, receiver.url)
    campaign = make_campaign(partners=[cast.partner])

    signer(campaign, cast.partner, "Anna Nowak", "anna@example.org")
    signer(campaign, None, "Direct Signer", "direct@example.org")  # not the partner's
    run_worker_until_quiet()

    assert len(receiver.received) == 1
    [action] = json.loads(receiver.received[0][2])["actions"]
    assert (action["action_type"], action["count"], action["country"]) == ("signature", 1, "PL")


def test_a_partner_without_a_webhook_enqueues_nothing(cast: Cast) -> None:
    report(make_campaign(partners=[cast.partner]), cast.partner, ("evt-1", "PL", 1))

    assert not DBTaskResult.objects.exists()
    assert not WebhookDelivery.objects.exists()
