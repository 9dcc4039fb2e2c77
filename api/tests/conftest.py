from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _webhooks_may_reach_loopback(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
