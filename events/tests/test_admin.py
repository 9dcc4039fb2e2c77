from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import Cast
from events.models import EventPhoto, EventReport
from events.tests.test_clean_photo import GPS_IFD, jpeg_with_gps
from lantern.testing import make_campaign

pytestmark = pytest.mark.django_db


def test_an_organizer_adds_an_event_with_a_photo_and_its_gps_is_gone(
    client: Client, cast: Cast, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    campaign = make_campaign()
    client.force_login(cast.organizer)
    upload = SimpleUploadedFile("warsaw.jpg", jpeg_with_gps().read(), content_type="image/jpeg")
    response = client.post(
        reverse("admin:events_eventreport_add"),
        {
            "campaign": campaign.pk,
            "title": "Street painting",
            "city": "Warsaw",
            "country": "PL",
            "happened_at_0": "2012-12-10",
            "happened_at_1": "12:00:00",
            "people": "12",
            "note": "",
            "photos-TOTAL_FORMS": "1",
            "photos-INITIAL_FORMS": "0",
            "photos-0-image": upload,
            "photos-0-caption": "Warsaw (Poland)",
            "photos-0-order": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    photo = EventPhoto.objects.get(event=EventReport.objects.get(title="Street painting"))
    assert (photo.width, photo.height) == (1600, 800)
    with Image.open(BytesIO((tmp_path / photo.image.name).read_bytes())) as stored:
        assert not stored.getexif().get_ifd(GPS_IFD)
        assert "icc_profile" not in stored.info


def test_the_event_admin_is_closed_to_non_staff(client: Client, cast: Cast) -> None:
    client.force_login(cast.reporter)
    response = client.get(reverse("admin:events_eventreport_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
