"""`manage.py export_contacts`: only with the organization's private key (a file or the
prompt) are contact data read; every run is audited."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from nacl.public import PrivateKey

from audit.models import AuditEntry
from conftest import Cast
from lantern.sealing import encode_key
from lantern.testing import make_campaign
from partners.tests.helpers import signer
from privacy.tests.helpers import write_with_contact

pytestmark = [pytest.mark.django_db, pytest.mark.offline_keys]


@pytest.fixture
def supporters(cast: Cast) -> None:
    campaign = make_campaign(slug="w4r", partners=[cast.partner])
    signer(campaign, cast.partner, "Anna Nowak", "Anna@Example.org")
    signer(campaign, None, "Quiet Signer", "quiet@example.org", contact=False)
    write_with_contact(campaign)


def export(*args: str) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("export_contacts", *args, stdout=out, stderr=io.StringIO())
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_the_private_key_from_a_file_reads_the_consenting_contacts(
    supporters: None, contact_key: PrivateKey, tmp_path: Path
) -> None:
    key_file = tmp_path / "org.key"
    key_file.write_text(encode_key(contact_key))

    rows = export("--key", str(key_file))

    assert [(r["kind"], r["name"], r["email"]) for r in rows] == [
        ("signature", "Anna Nowak", "anna@example.org"),
        ("letter", "Zofia", "zofia@example.org"),
    ]
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.DATA_DECRYPTED)
    assert (entry.actor, entry.records) == ("manage.py export_contacts", 2)
    assert "example.org" not in entry.detail


def test_the_key_can_be_typed_at_the_prompt(
    supporters: None, contact_key: PrivateKey, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: encode_key(contact_key))
    output = tmp_path / "contacts.csv"

    call_command("export_contacts", "--output", str(output), stderr=io.StringIO())

    assert "anna@example.org" in output.read_text()


def test_another_key_reads_nothing(supporters: None, tmp_path: Path) -> None:
    key_file = tmp_path / "other.key"
    key_file.write_text(encode_key(PrivateKey.generate()))

    assert export("--key", str(key_file)) == []


def test_no_key_no_export(supporters: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="private key"):
        call_command("export_contacts", "--key", str(tmp_path / "missing.key"))
