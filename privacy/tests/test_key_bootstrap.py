"""The embedded setup needs no configuration: on first run a key pair is made, the server
keeps only the public half, and one line tells the operator to move the private half away."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from nacl.public import PrivateKey

from lantern.conf import CONTACT_PRIVATE_KEY_NAME, contact_public_key
from lantern.sealing import encode_key, parse_private_key

pytestmark = pytest.mark.offline_keys  # this test reads the private key the setup wrote


def test_first_run_makes_a_key_pair_and_says_where_the_private_half_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    public = contact_public_key("", tmp_path)
    again = contact_public_key("", tmp_path)

    private_file = tmp_path / CONTACT_PRIVATE_KEY_NAME
    private = parse_private_key(private_file.read_text())
    assert public == again == (tmp_path / "contact.pub").read_text().strip()
    assert encode_key(private.public_key) == public
    assert private_file.stat().st_mode & 0o077 == 0  # only the owner may read it
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert str(private_file) in lines[0] and "move it off this machine" in lines[0]


def test_a_configured_public_key_is_used_and_nothing_is_written(tmp_path: Path) -> None:
    key = encode_key(PrivateKey.generate().public_key)

    assert contact_public_key(key, tmp_path) == key
    assert list(tmp_path.iterdir()) == []


def test_a_bad_public_key_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="CONTACT_PUBLIC_KEY"):
        contact_public_key("bm90IGEga2V5", tmp_path)


def test_an_older_private_key_on_the_server_gives_its_public_half(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = PrivateKey.generate()
    (tmp_path / "contact.key").write_text(encode_key(old) + "\n")

    public = contact_public_key("", tmp_path)

    assert public == encode_key(old.public_key)
    assert not (tmp_path / CONTACT_PRIVATE_KEY_NAME).exists()
    assert "contact.key" in capsys.readouterr().err
