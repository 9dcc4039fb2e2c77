"""Key rotation: given the old private key and the new public key, every sealed value is
re-sealed in batches, resumably; afterwards the old key reads nothing, the new one all."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from nacl.public import PrivateKey

from audit.models import AuditEntry
from conftest import Cast
from lantern.sealing import WrongKey, encode_key, seal_to, unseal
from lantern.testing import make_campaign
from letters.models import Letter
from partners.tests.helpers import signer
from petitions.models import Signature
from privacy import keys
from privacy.tests.helpers import write_with_contact

pytestmark = [pytest.mark.django_db, pytest.mark.offline_keys]


def sealed_values() -> list[bytes]:
    values = [
        bytes(v) for v in Signature.objects.values_list("email_sealed", flat=True) if v is not None
    ]
    values += [
        bytes(v)
        for v in Letter.objects.values_list("author_contact_sealed", flat=True)
        if v is not None
    ]
    return values


def opened_by(key: PrivateKey) -> list[str]:
    out = []
    for value in sealed_values():
        with contextlib.suppress(WrongKey):
            out.append(unseal(value, key))
    return sorted(out)


@pytest.fixture
def supporters(cast: Cast) -> list[str]:
    campaign = make_campaign(slug="w4r", partners=[cast.partner])
    emails = [f"signer{n}@example.org" for n in range(5)]
    for n, email in enumerate(emails):
        signer(campaign, None, f"Signer {n}", email)
    write_with_contact(campaign)
    return sorted([*emails, "zofia@example.org"])


def test_after_rotation_the_old_key_reads_nothing_and_the_new_one_everything(
    supporters: list[str], contact_key: PrivateKey, tmp_path: Path
) -> None:
    new = PrivateKey.generate()
    old_file = tmp_path / "old.key"
    old_file.write_text(encode_key(contact_key))
    out = io.StringIO()

    call_command(
        "rotate_contact_key",
        "--old-key",
        str(old_file),
        "--new-public-key",
        encode_key(new.public_key),
        "--batch-size",
        "2",
        stdout=out,
        stderr=io.StringIO(),
    )

    assert opened_by(contact_key) == []
    assert opened_by(new) == supporters
    assert "Re-sealed 6 values" in out.getvalue()
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.KEY_ROTATED)
    assert entry.records == 6


def test_an_interrupted_rotation_resumes_where_it_stopped(
    supporters: list[str], contact_key: PrivateKey
) -> None:
    new = PrivateKey.generate()

    def stop_after_the_first_batch(field: str, changed: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        keys.reseal(contact_key, new.public_key, batch_size=2, on_batch=stop_after_the_first_batch)
    halfway = opened_by(new)
    again = keys.reseal(contact_key, new.public_key, batch_size=2)

    assert len(halfway) == 2  # the first batch was committed
    assert again.resealed == 4  # only what was left
    assert opened_by(new) == supporters
    assert opened_by(contact_key) == []


def test_values_from_before_fingerprints_are_re_sealed_too(
    supporters: list[str], contact_key: PrivateKey
) -> None:
    from nacl.public import SealedBox

    legacy = bytes(SealedBox(contact_key.public_key).encrypt(b"legacy@example.org"))
    signature = Signature.objects.first()
    assert signature is not None
    Signature.objects.filter(pk=signature.pk).update(email_sealed=legacy)
    new = PrivateKey.generate()

    keys.reseal(contact_key, new.public_key)

    assert "legacy@example.org" in opened_by(new)


def test_values_sealed_to_other_keys_are_left_alone(
    supporters: list[str], contact_key: PrivateKey
) -> None:
    partner = PrivateKey.generate()
    signature = Signature.objects.first()
    assert signature is not None
    Signature.objects.filter(pk=signature.pk).update(
        partner_email_sealed=seal_to(partner.public_key, "signer0@example.org")
    )

    result = keys.reseal(contact_key, PrivateKey.generate().public_key)

    assert result.other_keys == 1
    signature.refresh_from_db()
    assert unseal(signature.partner_email_sealed, partner) == "signer0@example.org"  # type: ignore[arg-type]
