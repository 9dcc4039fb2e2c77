"""`audit.record`: who (a user, a token, or a named command), what, which object and partner."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from audit.models import AuditEntry
from audit.services import Action, record
from conftest import Cast
from lantern.testing import make_campaign
from partners.models import ApiToken
from partners.services import create_api_token

pytestmark = pytest.mark.django_db


def test_a_user_is_named_with_the_object_and_partner(cast: Cast) -> None:
    campaign = make_campaign(slug="w4r")

    entry = record(
        Action.COUNTS_RECORDED, actor=cast.reporter, obj=campaign, partner=cast.partner, records=2
    )

    assert (entry.actor, entry.actor_id) == ("reporter", cast.reporter.pk)
    assert (entry.object_type, entry.object_id) == ("campaigns.campaign", str(campaign.pk))
    assert (entry.partner, entry.partner_id) == (cast.partner.name, cast.partner.pk)
    assert entry.records == 2


def test_a_token_names_itself_and_its_partner(cast: Cast) -> None:
    token, _ = create_api_token(cast.partner, "CRM", [ApiToken.Scope.READ_TOTALS])

    entry = record(Action.DATA_VIEWED, token=token, actor=AnonymousUser())

    assert entry.actor == f"API token CRM ({token.prefix}…)"
    assert entry.actor_id is None
    assert entry.partner == cast.partner.name


def test_without_a_user_or_token_the_command_is_named() -> None:
    assert record(Action.DATA_PURGED, by="retention task").actor == "retention task"
    assert record(Action.DATA_PURGED).actor == "system"


def test_a_long_detail_is_cut_to_fit() -> None:
    entry = record(Action.DATA_VIEWED, detail="x" * 500)

    assert len(AuditEntry.objects.get(pk=entry.pk).detail) == 300
