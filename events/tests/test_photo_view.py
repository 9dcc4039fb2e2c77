from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from events.models import EventPhoto, EventReport
from events.services import add_photo
from events.tests.test_clean_photo import jpeg_with_gps
from lantern.testing import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def photo_of(status: str) -> EventPhoto:
    event = EventReport.objects.create(
        campaign=make_campaign(status=status),
        title="Lanterns",
        city="Tokyo",
        country="JP",
        happened_at=datetime(2012, 12, 10, tzinfo=UTC),
    )
    return add_photo(event, jpeg_with_gps((80, 60)), caption="Japan")


def test_a_photo_of_a_published_campaign_is_served_to_anyone(client: Client) -> None:
    photo = photo_of("live")
    response = client.get(reverse("events:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")  # type: ignore[attr-defined]


def test_a_photo_of_a_draft_is_shown_to_staff_only(client: Client, cast: Cast) -> None:
    url = reverse("events:photo", args=[photo_of("draft").pk])
    assert client.get(url).status_code == 404
    client.force_login(cast.reporter)
    assert client.get(url).status_code == 404
    client.force_login(cast.organizer)
    assert client.get(url).status_code == 200


def test_photo_refuses_post(client: Client) -> None:
    assert client.post(reverse("events:photo", args=[photo_of("live").pk])).status_code == 405


def test_an_unknown_photo_is_404(client: Client) -> None:
    assert client.get(reverse("events:photo", args=[999_999])).status_code == 404
