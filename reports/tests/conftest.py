"""Shared data for the reports tests: a small marathon with known figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from actions.models import Action
from actions.rows import parse_action_fields
from actions.services import record_actions
from actions.types import Source
from campaigns.models import Campaign
from lantern.testing import make_campaign, make_case, make_partner
from petitions.services import SignatureInput, sign_petition


def row(external_id: str, country: str, count: int, at: str, action_type: str = "letter"):
    return parse_action_fields(
        {
            "occurred_at": at,
            "country": country,
            "action_type": action_type,
            "count": str(count),
            "external_id": external_id,
        }
    )


@pytest.fixture
def marathon() -> Campaign:
    poland = make_partner(slug="section-poland", name="Amnesty International Poland")
    japan = make_partner(slug="section-japan", name="Amnesty International Japan")
    case = make_case(slug="ales-bialiatski", name="Ales Bialiatski")
    campaign = make_campaign(cases=[case], partners=[poland, japan], languages=["en", "pl", "be"])
    record_actions(
        campaign,
        poland,
        [
            row("pl-1", "PL", 14_000, "2012-12-10T09:00:00+01:00"),
            row("pl-2", "PL", 16_894, "2012-12-10T20:00:00+01:00", "signature"),
            row("pl-3", "PL", 500, "2012-12-12T09:00:00+01:00", "art"),
        ],
        source=Source.IMPORT,
    )
    record_actions(
        campaign,
        japan,
        [row("jp-1", "JP", 1_000, "2012-12-08T18:00:00+09:00", "art")],
        source=Source.API,
    )
    sign_petition(campaign, SignatureInput(name="A", email="a@example.org", country="MT"))
    # The web signature is dated now; move it into the marathon so the timeline stays short.
    Action.objects.filter(campaign=campaign, country="MT").update(
        occurred_at=datetime(2012, 12, 12, 10, tzinfo=UTC)
    )
    return campaign
