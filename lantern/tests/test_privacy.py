from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from nacl.public import PrivateKey

from lantern.privacy import email_dedupe_hash, normalize_email, seal, server_seal, server_unseal
from lantern.sealing import WrongKey, key_fingerprint, sealed_fingerprint, unseal


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Anna.Nowak@Example.ORG", "anna.nowak@example.org"),
        (" anna . nowak@example.org ", "anna.nowak@example.org"),
        ("anna+w4r@example.org", "anna@example.org"),
        ("A.N.Nowak+x@gmail.com", "annowak@gmail.com"),
        ("annowak@googlemail.com", "annowak@gmail.com"),
        ("jan-marathon@yahoo.com", "jan@yahoo.com"),
        ("jan-kowalski@example.org", "jan-kowalski@example.org"),
        ("ales@bialiatski.бел", "ales@bialiatski.xn--90ais"),
    ],
)
def test_spellings_of_one_mailbox_normalize_alike(raw: str, normal: str) -> None:
    assert normalize_email(raw) == normal


@pytest.mark.parametrize("raw", ["", "anna", "anna@", "@example.org", "+tag@example.org", "a@b"])
def test_non_addresses_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        normalize_email(raw)


@given(st.text(max_size=80))
def test_normalize_either_refuses_or_is_idempotent(raw: str) -> None:
    try:
        normal = normalize_email(raw)
    except ValidationError:
        return
    assert normalize_email(normal) == normal


def test_dedupe_hash_is_keyed(settings: object) -> None:
    first = email_dedupe_hash("anna@example.org")
    settings.DEDUPE_KEY = "another key"  # type: ignore[attr-defined]
    assert email_dedupe_hash("anna@example.org") != first
    assert "anna" not in first


def test_sealed_contact_opens_only_with_the_organizations_private_key(
    contact_key: PrivateKey,
) -> None:
    sealed = seal("anna@example.org")
    assert b"anna" not in sealed
    assert seal("anna@example.org") != sealed  # a fresh ephemeral key each time
    assert sealed_fingerprint(sealed) == key_fingerprint(contact_key.public_key)
    assert unseal(sealed, contact_key) == "anna@example.org"


def test_a_value_sealed_to_a_partner_names_its_key_and_the_organizations_key_cannot_open_it(
    contact_key: PrivateKey, partner_key: PrivateKey, settings: object
) -> None:
    from lantern.sealing import encode_key

    sealed = seal("anna@example.org", encode_key(partner_key.public_key))

    assert sealed_fingerprint(sealed) == key_fingerprint(partner_key.public_key)
    assert unseal(sealed, partner_key) == "anna@example.org"
    with pytest.raises(WrongKey):
        unseal(sealed, contact_key)


def test_the_server_key_opens_what_it_sealed_and_a_changed_key_does_not() -> None:
    sealed = server_seal("whsec_abc")
    assert b"whsec" not in sealed
    assert server_unseal(sealed) == "whsec_abc"
