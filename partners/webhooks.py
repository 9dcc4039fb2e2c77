"""Signed webhooks: a partner's endpoint hears about the partner's new actions.

`notify_new_actions` is called once new actions have been committed; it writes one
`WebhookDelivery` per live endpoint (at most `WEBHOOK_BATCH` actions each) and enqueues
`partners.tasks.send_webhook`. Each attempt POSTs the JSON body with

    X-Lantern-Timestamp: <unix seconds>
    X-Lantern-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the secret>

and a failed attempt (no answer, a timeout, a 5xx, a 429) is tried again after
WEBHOOK_RETRY_BASE_SECONDS × 2^(attempt − 1), up to WEBHOOK_MAX_ATTEMPTS attempts. A 4xx other
than 429 means the partner's server refuses this delivery: it is not tried again.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from actions.models import Action
from lantern.background import enqueue_with_writes
from lantern.privacy import server_seal, server_unseal
from partners.models import Partner, WebhookDelivery, WebhookEndpoint

WEBHOOK_BATCH = 500
SECRET_PREFIX = "whsec_"  # noqa: S105 - a public marker, not a secret
EVENT_ACTIONS_CREATED = "actions.created"


class WebhookRefused(ValueError):
    """The URL cannot be a webhook endpoint; the message says why."""


def address_refusal(url: str) -> str:
    """Why Lantern will not POST to `url` ("" if it will).

    Unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES is set, every address the host resolves to must be
    a public one: a partner's URL must not make Lantern's server reach its own loopback,
    private network or cloud metadata addresses.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "A webhook URL starts with https:// or http:// and names a host."
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return ""
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return f"The host {parts.hostname} cannot be found."
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return f"The host {parts.hostname} is not on the public internet."
    return ""


def register_webhook(
    partner: Partner, url: str, *, created_by: User | None = None
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; its signing secret is returned here and shown once.

    Raises WebhookRefused for a URL Lantern will not send to."""
    refusal = address_refusal(url)
    if refusal:
        raise WebhookRefused(refusal)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        partner=partner, url=url, secret_sealed=server_seal(secret), created_by=created_by
    )
    return endpoint, secret


def disable_webhook(endpoint: WebhookEndpoint) -> None:
    """Stop sending to this endpoint at once; deliveries still waiting are given up."""
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk, disabled_at__isnull=True).update(
            disabled_at=timezone.now()
        )
        WebhookDelivery.objects.filter(
            endpoint=endpoint, status=WebhookDelivery.Status.PENDING
        ).update(status=WebhookDelivery.Status.FAILED, last_error="endpoint removed")


def signature_header(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a partner's server does with a delivery (docs/PARTNERS.md shows it standalone)."""
    return hmac.compare_digest(signature_header(secret, timestamp, body), header)


def action_payload(action: Action) -> dict[str, Any]:
    return {
        "id": action.pk,
        "campaign": action.campaign.slug,
        "case": action.case.slug if action.case else None,
        "action_type": action.action_type,
        "count": action.count,
        "country": action.country,
        "city": action.city,
        "occurred_at": action.occurred_at.isoformat(),
        "channel": action.channel,
        "source": action.source,
        "external_id": action.external_id,
        "recorded_at": action.created_at.isoformat(),
    }


def notify_new_actions(partner_id: int, action_ids: Sequence[int]) -> list[WebhookDelivery]:
    """Queue deliveries of these (committed) actions to each of the partner's live endpoints."""
    from partners.tasks import send_webhook

    endpoints = list(WebhookEndpoint.objects.filter(partner_id=partner_id, disabled_at=None))
    if not endpoints or not action_ids:
        return []
    actions = list(
        Action.objects.filter(pk__in=action_ids, partner_id=partner_id)
        .select_related("campaign", "case", "partner")
        .order_by("pk")
    )
    deliveries = []
    with transaction.atomic():
        for start in range(0, len(actions), WEBHOOK_BATCH):
            chunk = actions[start : start + WEBHOOK_BATCH]
            body = {
                "event": EVENT_ACTIONS_CREATED,
                "partner": chunk[0].partner.slug if chunk[0].partner else None,
                "actions": [action_payload(a) for a in chunk],
            }
            for endpoint in endpoints:
                deliveries.append(
                    WebhookDelivery.objects.create(
                        endpoint=endpoint, event=EVENT_ACTIONS_CREATED, payload=body
                    )
                )
        for delivery in deliveries:
            enqueue_with_writes(send_webhook, delivery.pk)
    return deliveries


def has_webhooks(partner_id: int) -> bool:
    """Whether the partner has a live endpoint (a writer can skip gathering ids if not)."""
    return WebhookEndpoint.objects.filter(partner_id=partner_id, disabled_at=None).exists()


def on_actions_committed(partner_id: int | None, action_ids: Sequence[int]) -> None:
    """For writers of the ledger: call inside the writing transaction.

    If the partner has a live endpoint, a background task builds the deliveries, so that a
    large import does not wait for them. The task is written in the same transaction
    (`enqueue_with_writes`): committed with the actions, or not at all."""
    if partner_id is None or not action_ids:
        return
    from partners.tasks import queue_webhook_deliveries

    if has_webhooks(partner_id):
        enqueue_with_writes(queue_webhook_deliveries, partner_id, list(action_ids))


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base, … after the 1st, 2nd, 3rd failed attempt."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    refusal = address_refusal(url)  # again: the host's addresses may have changed since
    if refusal:
        raise WebhookRefused(refusal)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only, checked above
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as answer:  # noqa: S310 - http(s) only, checked above
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def attempt_delivery(delivery_id: int) -> WebhookDelivery:
    """One attempt; records the outcome and, if it should be tried again, when."""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery
    if endpoint.disabled_at is not None:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.last_error = "endpoint removed"
        delivery.save(update_fields=["status", "last_error"])
        return delivery
    body = json.dumps(
        {"delivery": delivery.pk, **delivery.payload}, cls=DjangoJSONEncoder, sort_keys=True
    ).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Lantern-Webhook/1",
        "X-Lantern-Event": delivery.event,
        "X-Lantern-Delivery": str(delivery.pk),
        "X-Lantern-Timestamp": timestamp,
        "X-Lantern-Signature": signature_header(
            server_unseal(endpoint.secret_sealed), timestamp, body
        ),
    }
    status: int | None = None
    error = ""
    retry = True
    try:
        status = _post(endpoint.url, body, headers)
    except WebhookRefused as exc:  # a private address: trying again will not help
        error, retry = str(exc)[:300], False
    except (OSError, ValueError) as exc:  # refused, unreachable, timed out
        error = str(exc)[:300]
    delivery.attempts += 1
    delivery.last_response_status = status
    delivery.last_error = error if status is None else ""
    if status is not None and 200 <= status < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif (
        retry
        and (status is None or status >= 500 or status == 429)
        and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS
    ):
        delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
    else:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    delivery.save(
        update_fields=[
            "attempts",
            "last_response_status",
            "last_error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return delivery
