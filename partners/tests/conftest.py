from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _webhooks_may_reach_loopback(settings: Any) -> None:
    """Test receivers listen on 127.0.0.1; production refuses such addresses
    (test_webhook_addresses.py checks that with the setting off)."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
