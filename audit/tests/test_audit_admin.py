"""Organizers read the audit log in the admin, filtered; nobody adds, edits or deletes there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import Action, record
from conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries() -> list[AuditEntry]:
    return [
        record(Action.DATA_EXPORTED, by="manage.py export_contacts", records=12),
        record(Action.LETTER_APPROVED, by="import"),
    ]


def test_an_organizer_reads_the_log_and_filters_it(
    client: Client, cast: Cast, entries: list[AuditEntry]
) -> None:
    client.force_login(cast.organizer)
    url = reverse("admin:audit_auditentry_changelist")

    everything = client.get(url)
    exports = client.get(url, {"action__exact": Action.DATA_EXPORTED})

    assert list(everything.context["cl"].result_list) == entries[::-1]  # newest first
    assert list(exports.context["cl"].result_list) == [entries[0]]
    assert "manage.py export_contacts" in exports.content.decode()
    detail = client.get(reverse("admin:audit_auditentry_change", args=[entries[0].pk]))
    assert detail.status_code == 200


def test_nobody_adds_changes_or_deletes_through_the_admin(
    client: Client, cast: Cast, entries: list[AuditEntry]
) -> None:
    client.force_login(cast.organizer)
    entry = entries[0]

    add = client.get(reverse("admin:audit_auditentry_add"))
    change = client.post(
        reverse("admin:audit_auditentry_change", args=[entry.pk]), {"records": "0"}
    )
    delete = client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})

    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    entry.refresh_from_db()
    assert entry.records == 12


def test_members_who_are_not_staff_and_anonymous_visitors_cannot_read_it(
    client: Client, cast: Cast, entries: list[AuditEntry]
) -> None:
    url = reverse("admin:audit_auditentry_changelist")

    anonymous = client.get(url)
    client.force_login(cast.moderator)
    member = client.get(url)

    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert member.status_code == 302 and "/admin/login/" in member["Location"]
