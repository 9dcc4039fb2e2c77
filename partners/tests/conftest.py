from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """The cast's accounts are made in every test; a slow hash would make them most of it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _webhooks_may_reach_loopback(settings: Any) -> None:
    """Test receivers listen on 127.0.0.1; production refuses such addresses
    (test_webhook_addresses.py checks that with the setting off)."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
