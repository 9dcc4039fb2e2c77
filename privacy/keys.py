"""The offline side of sealing: reading a private key an operator brings, and re-sealing.

Only management commands run on an operator's machine use this module (`export_contacts`,
`rotate_contact_key`); nothing the web server or the worker runs imports it (a test checks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import models, transaction
from nacl.public import PrivateKey, PublicKey

from lantern.sealing import WrongKey, key_fingerprint, seal_to, sealed_fingerprint, unseal
from letters.models import Letter
from petitions.models import Signature

# Every sealed supporter field: (model, field name).
SEALED_FIELDS: list[tuple[type[models.Model], str]] = [
    (Signature, "email_sealed"),
    (Signature, "partner_email_sealed"),
    (Letter, "author_contact_sealed"),
]


def opens(value: bytes | memoryview, key: PrivateKey) -> bool:
    """Sealed to this key (by fingerprint, or a fingerprint-less value this key opens)."""
    fingerprint = sealed_fingerprint(value)
    if fingerprint is not None:
        return fingerprint == key_fingerprint(key.public_key)
    try:
        unseal(value, key)
    except WrongKey:
        return False
    return True


@dataclass
class Rotation:
    resealed: int = 0
    other_keys: int = 0


def _batches(
    model: type[models.Model], field: str, batch_size: int
) -> Iterator[list[tuple[int, bytes]]]:
    last = 0
    while True:
        rows = list(
            model._default_manager.filter(pk__gt=last, **{f"{field}__isnull": False})
            .order_by("pk")
            .values_list("pk", field)[:batch_size]
        )
        if not rows:
            return
        yield [(pk, bytes(value)) for pk, value in rows if value]
        last = rows[-1][0]


def reseal(
    old: PrivateKey,
    new: PublicKey,
    *,
    batch_size: int = 500,
    on_batch: Callable[[str, int], object] | None = None,
) -> Rotation:
    """Re-seal every value sealed to `old` to `new`, one transaction per batch.

    Resumable: a value already sealed to `new` is skipped, so an interrupted run is run again.
    Each row is changed only if it still holds the value read (a signer erased meanwhile
    stays erased).
    """
    result = Rotation()
    new_fingerprint = key_fingerprint(new)
    for model, field in SEALED_FIELDS:
        for batch in _batches(model, field, batch_size):
            changed = 0
            with transaction.atomic():
                for pk, value in batch:
                    if sealed_fingerprint(value) == new_fingerprint:
                        continue
                    if not opens(value, old):
                        result.other_keys += 1
                        continue
                    resealed = seal_to(new, unseal(value, old))
                    changed += model._default_manager.filter(pk=pk, **{field: value}).update(
                        **{field: resealed}
                    )
            result.resealed += changed
            if on_batch is not None:
                on_batch(f"{model._meta.label_lower}.{field}", changed)
    return result
