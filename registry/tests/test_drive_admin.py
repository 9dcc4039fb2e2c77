"""Starting a card drive in the admin: its campaign must collect cards; writing closes a week
before the posting date unless the organizer says otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from conftest import Cast
from registry.models import Drive

pytestmark = pytest.mark.django_db


def campaign(**fields: object) -> Campaign:
    values: dict[str, object] = {
        "slug": "new-year-greetings",
        "title": "New Year greetings",
        "starts_on": timezone.localdate(),
        "status": Campaign.Status.LIVE,
        "action_types": ["card"],
    }
    values.update(fields)
    return Campaign.objects.create(**values)


def form(target: Campaign, **fields: object) -> dict[str, object]:
    values: dict[str, object] = {
        "title": "New Year greetings, posted by 21 December",
        "slug": "new-year",
        "invitation": "",
        "campaign": target.pk,
        "post_by": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "closes_on": "",
        "max_chars": "600",
        "countries": "[]",
        "statuses": '["sentenced"]',
    }
    values.update(fields)
    return values


def test_an_organizer_starts_a_drive_that_closes_a_week_before_posting(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.organizer)

    response = client.post(reverse("admin:registry_drive_add"), form(campaign()))

    assert response.status_code == 302, response.content.decode()[:3000]
    drive = Drive.objects.get()
    assert drive.closes_on == drive.post_by - timedelta(days=7)
    assert (drive.statuses, drive.created_by) == (["sentenced"], cast.organizer)
    listing = client.get(reverse("admin:registry_drive_changelist")).content.decode()
    assert reverse("registry:drive", args=["new-year"]) in listing


def test_a_drive_needs_a_campaign_that_collects_cards_and_writing_before_posting(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.organizer)
    petition = campaign(slug="petition", action_types=["signature"])
    late = (timezone.localdate() + timedelta(days=30)).isoformat()

    response = client.post(
        reverse("admin:registry_drive_add"),
        form(petition, closes_on=late, statuses='["free"]'),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This campaign does not collect cards" in page
    assert "Writing must close on or before the posting date." in page
    assert "Unknown statuses: free" in page
    assert not Drive.objects.exists()
