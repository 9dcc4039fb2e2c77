"""Nobody can edit or delete the audit log: the database itself refuses, on SQLite and
PostgreSQL, whatever the code or an admin tries."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry
from audit.services import Action, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry() -> AuditEntry:
    return record(Action.DATA_VIEWED, by="test", records=3, detail="supporters page")


def test_the_database_refuses_to_change_the_log(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(records=0)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.detail = "nothing happened"
        entry.save()

    entry.refresh_from_db()
    assert (entry.records, entry.detail) == (3, "supporters page")


def test_the_database_refuses_to_delete_from_the_log(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_raw_sql_is_refused_too(entry: AuditEntry) -> None:
    for statement in [
        "UPDATE audit_auditentry SET actor = 'someone else'",
        "DELETE FROM audit_auditentry",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)

    assert AuditEntry.objects.get().actor == "test"


def test_entries_are_still_appended(entry: AuditEntry) -> None:
    record(Action.DATA_EXPORTED, by="test", records=1)

    assert AuditEntry.objects.count() == 2
