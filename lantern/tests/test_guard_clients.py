"""The client address behind trusted proxies, and the keyed hash the limits use."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from lantern.guard.clients import client_address, client_key

PROXY = [ipaddress.ip_network("10.0.0.0/8")]


def test_without_trusted_proxies_forwarding_headers_change_nothing() -> None:
    assert client_address(
        "203.0.113.7", "198.51.100.1", "for=198.51.100.2", trusted_proxies=[]
    ) == ("203.0.113.7")


def test_a_made_up_x_forwarded_for_from_an_untrusted_peer_is_ignored() -> None:
    # A peer petition app takes the header's first address: each request could name another.
    made_up = "1.2.3.4, 5.6.7.8"
    assert client_address("203.0.113.7", made_up, trusted_proxies=PROXY) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() -> None:
    # The client prepended a made-up hop; the proxy appended the address it really saw.
    header = "1.2.3.4, 203.0.113.7"
    assert client_address("10.0.0.5", header, trusted_proxies=PROXY) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right() -> None:
    header = "1.2.3.4, 203.0.113.7, 10.0.0.9"
    assert client_address("10.0.0.5", header, trusted_proxies=PROXY) == "203.0.113.7"


def test_forwarded_header_with_ports_and_ipv6_is_read() -> None:
    header = 'for=1.2.3.4, for="[2001:db8:cafe::17]:4711";proto=https'
    assert client_address("10.0.0.5", None, header, trusted_proxies=PROXY) == "2001:db8:cafe::17"


def test_trusted_proxy_without_a_header_is_itself_the_client() -> None:
    assert client_address("10.0.0.5", None, None, trusted_proxies=PROXY) == "10.0.0.5"


def test_the_key_is_a_keyed_hash_that_does_not_contain_the_address(settings: Any) -> None:
    key = client_key("203.0.113.7")
    assert "203" not in key and len(key) == 32
    assert client_key("203.0.113.7") == key
    assert client_key("203.0.113.8") != key
    settings.SECRET_KEY = "another secret key for another installation of Lantern, long"
    assert client_key("203.0.113.7") != key


def test_ipv6_addresses_of_one_slash_64_share_a_key() -> None:
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
    assert client_key("::ffff:203.0.113.7") == client_key("203.0.113.7")


@pytest.mark.parametrize("peer", ["", "not an address", "unix:/tmp/socket"])
def test_an_unreadable_peer_still_gets_a_key(peer: str) -> None:
    assert len(client_key(client_address(peer, "1.2.3.4", trusted_proxies=PROXY))) == 32
