"""`/partners/<slug>/events/new/`: a group's reporters (and partner admins, organizers) report."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.tallies import read_totals
from campaigns.models import Campaign
from conftest import PASSWORD, Cast
from events.models import EventReport
from events.tests.photos import (
    assert_nothing_but_pixels,
    jpeg_with_gps_and_xmp,
    png_with_text_chunks,
    upload,
)
from lantern.testing import make_campaign, make_partner
from partners.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast: Cast) -> Campaign:
    return make_campaign(partners=[cast.partner], title="Write for Rights")


def url(cast: Cast) -> str:
    return reverse("events:report", args=[cast.partner.slug])


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def form_data(campaign: Campaign, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "campaign": str(campaign.pk),
        "title": "Letter-writing evening",
        "city": "Warsaw",
        "country": "PL",
        "happened_on": "2012-12-10",
        "happened_time": "18:30",
        "utc_offset": "60",
        "people": "40",
        "note": "",
        "count_letter": "120",
        "count_card": "35",
        "photos-TOTAL_FORMS": "4",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "10",
    }
    data.update(changes)
    return data


def test_reporter_sees_the_form_with_the_partners_campaigns(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    make_campaign(title="Someone else's campaign")
    response = login(client, cast.reporter).get(url(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Write for Rights" in html
    assert "Someone else&#x27;s campaign" not in html
    assert 'enctype="multipart/form-data"' in html
    assert f'<option value="{campaign.pk}" selected>Write for Rights</option>' in html
    assert '<option value="PL" selected>' in html  # the partner's country


def test_reporter_reports_an_event_with_photos_counted_and_cleaned(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    data = form_data(
        campaign,
        **{
            "photos-0-image": upload(jpeg_with_gps_and_xmp(), "IMG_0001.jpg"),
            "photos-0-caption": "Warsaw (Poland)",
            "photos-1-image": upload(png_with_text_chunks(), "poster.png"),
            "photos-1-caption": "Warsaw (Poland), the poster",
        },
    )
    response = login(client, cast.reporter).post(url(cast), data)

    event = EventReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:detail", args=[event.pk])
    assert (event.partner, event.reported_by, event.people) == (cast.partner, cast.reporter, 40)
    assert event.happened_at.isoformat() == "2012-12-10T17:30:00+00:00"
    assert read_totals(campaign.pk).total == 155
    photos = list(event.photos.all())
    assert [p.caption for p in photos] == ["Warsaw (Poland)", "Warsaw (Poland), the poster"]
    for photo in photos:
        with photo.image.open("rb") as f:
            assert_nothing_but_pixels(f.read())
        assert "IMG_0001" not in photo.image.name


@pytest.mark.parametrize("role", [Membership.Role.PARTNER_ADMIN, Membership.Role.REPORTER])
def test_partner_admins_and_reporters_may_report(
    client: Client, cast: Cast, campaign: Campaign, role: str
) -> None:
    user = User.objects.create_user("member", "member@example.org", PASSWORD)
    Membership.objects.create(user=user, partner=cast.partner, role=role)
    response = login(client, user).post(url(cast), form_data(campaign))
    assert response.status_code == 302
    assert EventReport.objects.get().reported_by == user


def test_organizer_may_report_for_any_partner(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    response = login(client, cast.organizer).post(url(cast), form_data(campaign))
    assert response.status_code == 302
    assert Action.objects.filter(partner=cast.partner).count() == 2


def test_moderator_may_not_report(client: Client, cast: Cast, campaign: Campaign) -> None:
    login(client, cast.moderator)
    assert client.get(url(cast)).status_code == 403
    assert client.post(url(cast), form_data(campaign)).status_code == 403
    assert not EventReport.objects.exists()


def test_reporter_of_another_partner_may_not_report_for_this_one(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    other = make_partner()
    Membership.objects.create(user=cast.outsider, partner=other, role=Membership.Role.REPORTER)
    login(client, cast.outsider)
    assert client.post(url(cast), form_data(campaign)).status_code == 403
    assert not EventReport.objects.exists()


def test_anonymous_is_sent_to_log_in(client: Client, cast: Cast, campaign: Campaign) -> None:
    response = client.post(url(cast), form_data(campaign))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partners:login"))
    assert not EventReport.objects.exists()


def test_wrong_method_is_refused(client: Client, cast: Cast) -> None:
    assert login(client, cast.reporter).put(url(cast)).status_code == 405


def test_bad_input_comes_back_with_errors_and_nothing_is_stored(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    data = form_data(campaign, country="Atlantis", count_letter="-3")
    data["photos-0-image"] = upload(b"not an image at all", "x.jpg")
    response = login(client, cast.reporter).post(url(cast), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Letter-writing evening"' in html
    assert "This file is not a photo Lantern can read." in html
    assert html.count('class="errorlist') >= 3
    assert not EventReport.objects.exists()
    assert not Action.objects.exists()


def test_a_kind_of_action_the_campaign_does_not_count_is_marked(client: Client, cast: Cast) -> None:
    campaign = make_campaign(partners=[cast.partner], action_types=["signature"])
    response = login(client, cast.reporter).post(url(cast), form_data(campaign))
    assert response.status_code == 400
    assert "This campaign does not count this kind of action: Letter." in response.content.decode()
    assert not EventReport.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [("2999-12-10", "This date is in the future."), ("1812-12-10", "too far in the past")],
)
def test_a_date_in_the_future_or_long_ago_is_refused(
    client: Client, cast: Cast, campaign: Campaign, day: str, message: str
) -> None:
    response = login(client, cast.reporter).post(url(cast), form_data(campaign, happened_on=day))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EventReport.objects.exists()
