"""Disposable-mail domains, from the disposable-email-domains package (shipped as data)."""

from __future__ import annotations

from disposable_email_domains import blocklist


def is_disposable(address: str) -> bool:
    """True for an address at a throwaway-mail domain or any subdomain of one."""
    domain = address.rpartition("@")[2].strip().lower().rstrip(".")
    parts = domain.split(".")
    return any(".".join(parts[i:]) in blocklist for i in range(len(parts) - 1))
