"""No IP address or user agent is stored anywhere: no model has a field for one, and after
requests on every public path that writes, neither appears in any column of any table."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from lantern.testing import make_campaign, run_task_worker
from letters.tests.conftest import CLEAN_RU

pytestmark = pytest.mark.django_db(transaction=True)
SUSPECT_NAMES = ("ip", "addr", "user_agent", "useragent", "remote", "forwarded", "client")
IP = "203.0.113.77"
AGENT = "Mozilla/5.0 (LanternProbe 4242)"


def test_no_model_has_a_field_for_an_address_or_agent() -> None:
    found = []
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "auth", "contenttypes", "sessions"}:
            continue
        for f in model._meta.get_fields():
            name = f.name.lower()
            if (
                isinstance(f, models.GenericIPAddressField)
                or any(part in SUSPECT_NAMES for part in name.split("_"))
                or "user_agent" in name
            ):
                found.append(f"{model._meta.label}.{f.name}")
    assert found == []


def test_requests_leave_no_trace_of_the_address_or_agent(settings: object) -> None:
    campaign = make_campaign(slug="w4r")
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=IP)
    sign = {"name": "Zofia", "name_display": "full", "email": "z@example.org", "country": "PL"}
    letter = {
        "case": campaign.cases.get().slug,
        "kind": "letter",
        "text": CLEAN_RU,
        "author_name": "Zofia",
        "author_country": "PL",
    }

    responses = [
        client.post(reverse("petitions:sign", args=["w4r"]), sign),
        client.post(reverse("letters:write", args=["w4r"]), letter),
        client.post(reverse("privacy:request"), {"email": "z@example.org", "kind": "export"}),
    ]
    run_task_worker()

    assert [r.status_code for r in responses] == [302, 302, 302], [
        r.content.decode()[:500] for r in responses if r.status_code != 302
    ]
    assert _tables_containing(IP) == []
    assert _tables_containing("LanternProbe") == []


def _tables_containing(needle: str) -> list[str]:
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                if any(needle in _text(value) for value in row):
                    hits.append(table)
                    break
    return hits


def _text(value: object) -> str:
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("latin-1")
    return str(value)
