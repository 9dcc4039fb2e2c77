"""Results stay revisable after a campaign closes: late partner reports still count, with
their provenance, and the results page says when the figures were last revised."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.types import Source
from campaigns.models import Campaign
from campaigns.services import close_campaign
from conftest import Cast
from lantern.testing import make_campaign
from partners.models import ApiToken
from partners.services import create_api_token
from reports import formatting
from reports.services import campaign_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(cast: Cast) -> Campaign:
    campaign = make_campaign(partners=[cast.partner])
    close_campaign(campaign)
    return campaign


def revised_line(client: Client, campaign: Campaign) -> str:
    page = client.get(reverse("reports:results", args=[campaign.slug])).content.decode()
    found = re.search(r'<p class="status" id="revision">(.*?)</p>', page, re.S)
    assert found
    return re.sub(r"[ \n]+", " ", found.group(1)).strip()


def test_a_late_report_through_the_api_revises_a_closed_campaigns_results(
    client: Client, cast: Cast, closed: Campaign
) -> None:
    assert campaign_report(closed).total == 0
    token = create_api_token(cast.partner, "CRM", [ApiToken.Scope.RECORD_ACTIONS])[1]
    late = {
        "occurred_at": "2012-12-20T18:00:00+01:00",
        "country": "PL",
        "city": "Gdansk",
        "action_type": "letter",
        "count": 250,
        "channel": "event",
        "external_id": "late-1",
    }
    response = client.post(
        f"/api/v1/campaigns/{closed.slug}/actions",
        json.dumps({"actions": [late]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.content
    action = Action.objects.get(campaign=closed)
    assert (action.source, action.partner, action.external_id) == (
        Source.API,
        cast.partner,
        "late-1",
    )
    report = campaign_report(closed)
    assert report.total == 250
    assert report.last_revised == action.created_at
    line = revised_line(client, closed)
    assert line.startswith("The campaign is closed.")
    assert f"Last revised {formatting.moment(action.created_at, 'en')}." in line


def test_a_late_import_revises_the_results_with_its_batch_as_provenance(
    client: Client, cast: Cast, closed: Campaign, tmp_path: Path
) -> None:
    csv_file = tmp_path / "late.csv"
    csv_file.write_text(
        "occurred_at,country,city,action_type,count,channel,external_id,note\n"
        "2013-01-20T11:00:00+02:00,Finland,Helsinki,card,40,paper,fi-late-1,Late cards\n"
    )
    call_command(
        "import_actions",
        str(csv_file),
        "--campaign",
        closed.slug,
        "--partner",
        cast.partner.slug,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    action = Action.objects.get(campaign=closed)
    assert action.source == Source.IMPORT
    assert action.import_batch is not None and action.import_batch.filename == "late.csv"
    report = campaign_report(closed)
    assert report.by_country == {"FI": 40}
    assert report.last_revised == action.created_at
    assert "Last revised" in revised_line(client, closed)


def test_a_campaign_without_actions_says_nothing_about_revisions(
    client: Client, closed: Campaign
) -> None:
    assert revised_line(client, closed) == (
        "The campaign is closed. Late reports from partners are still added."
    )
