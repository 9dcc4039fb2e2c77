"""The results' rows per case: a case that may not be named is counted without its name, and
a released or moved person's status shows beside the name."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actions.services import record_action
from actions.types import ActionType, Source
from cases.models import Case
from lantern.testing import make_campaign, make_case
from reports.services import UNNAMED_KEY, campaign_report

pytestmark = pytest.mark.django_db


def test_unnamed_cases_are_counted_together_and_statuses_shown(client: Client) -> None:
    named = make_case(name="Ales Bialiatski", status=Case.Status.RELEASED)
    hidden = [make_case(name=f"Hidden {n}", may_be_published=False) for n in range(2)]
    campaign = make_campaign(cases=[named, *hidden])
    for case in (named, *hidden, hidden[0]):
        record_action(
            campaign,
            case_id=case.pk,
            action_type=ActionType.LETTER,
            country="PL",
            source=Source.WEB,
        )

    report = campaign_report(campaign)
    page = client.get(reverse("reports:results", args=[campaign.slug])).content.decode()

    assert report.by_case == {UNNAMED_KEY: 3, named.slug: 1}
    assert report.case_statuses == {named.slug: "released"}
    assert "Hidden" not in page and "Hidden" not in str(report.as_json())
    assert "People who cannot be named here" in page
    assert "Ales Bialiatski (Released)" in page
