from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from actions.models import Action
from actions.tallies import read_totals
from campaigns.models import Campaign
from reports.services import campaign_report

pytestmark = pytest.mark.django_db


def test_demo_reproduces_the_seed_article_and_loads_once(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # the organizer's password file goes here
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Organizer account: organizer / " in out.getvalue()
    campaign = Campaign.objects.get(slug="write-for-rights-2012")
    assert campaign.partners.filter(slug="amnesty-poland").exists()
    assert campaign.starts_on.isoformat() == "2012-12-07"

    report = campaign_report(campaign)
    assert report.total == 104_731
    assert report.countries == 36
    assert report.busiest_24h["PL"].count == 30_894
    assert report.busiest_24h["PL"].start == datetime(
        2012, 12, 10, 8, tzinfo=UTC
    )  # 09:00 in Warsaw
    assert max(report.by_country, key=report.by_country.__getitem__) == "PL"
    assert read_totals(campaign.pk).total == report.total
    organizer = User.objects.get(username="organizer")
    password = (tmp_path / "organizer_password").read_text().strip()
    assert organizer.is_staff and organizer.check_password(password)
    assert password in out.getvalue()

    rows = Action.objects.count()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "already loaded" in again.getvalue()
    assert Action.objects.count() == rows
