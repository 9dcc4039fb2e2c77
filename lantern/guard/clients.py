"""Who is asking: the client's address behind trusted proxies, and the keyed hash limits use.

The address comes from `X-Forwarded-For` or `Forwarded` only when the direct peer is one of
`settings.TRUSTED_PROXIES`; the chain is walked from the right, skipping trusted proxies, and
the first other address is the client. A header sent by anyone else changes nothing: that
is how a peer petition app's per-IP limit is bypassed. Only a keyed hash of the address is
used further on; the address itself is never stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Sequence
from functools import cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 users usually get a /64 (or more) of their own; limits key the whole /64.
IPV6_PREFIX = 64


def _parse(value: str) -> Address | None:
    text = value.strip().strip('"')
    if text.startswith("["):  # [2001:db8::1]:4711 (Forwarded) or [2001:db8::1]
        text = text[1 : text.find("]")] if "]" in text else text[1:]
    elif text.count(":") == 1:  # 192.0.2.1:4711
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _forwarded_for(header: str) -> list[str]:
    """The `for=` values of an RFC 7239 Forwarded header, left to right."""
    found = []
    for element in header.split(","):
        for pair in element.split(";"):
            key, _, value = pair.strip().partition("=")
            if key.strip().lower() == "for":
                found.append(value.strip())
    return found


def _trusted(address: Address | None, proxies: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(
    peer: str,
    x_forwarded_for: str | None = None,
    forwarded: str | None = None,
    *,
    trusted_proxies: Sequence[Network] | None = None,
) -> str:
    """The client's address, as plain text (an unparsable hop is returned as it is)."""
    proxies = settings.TRUSTED_PROXIES if trusted_proxies is None else trusted_proxies
    direct = _parse(peer)
    if not _trusted(direct, proxies):
        return str(direct) if direct is not None else peer.strip()
    if forwarded:
        chain = _forwarded_for(forwarded)
    elif x_forwarded_for:
        chain = [hop.strip() for hop in x_forwarded_for.split(",") if hop.strip()]
    else:
        chain = []
    client = str(direct)
    for hop in reversed(chain):
        address = _parse(hop)
        client = str(address) if address is not None else hop.strip('"')
        if not _trusted(address, proxies):
            break
    return client


@cache
def _key(secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), b"lantern.guard.client", hashlib.sha256).digest()


def client_key(address: str) -> str:
    """A keyed hash of the address (its /64 for IPv6): the same client, the same key."""
    parsed = _parse(address)
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    if isinstance(parsed, ipaddress.IPv6Address):
        text = str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    else:
        text = str(parsed) if parsed is not None else address
    digest = hashlib.blake2b(text.encode("utf-8"), key=_key(settings.SECRET_KEY), digest_size=16)
    return digest.hexdigest()
