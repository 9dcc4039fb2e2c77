"""The organizer's petition delivery pages: who may use them, and what the public page says."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.testing import make_campaign
from petitions.models import PetitionDelivery
from petitions.services import freeze_petition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def campaign():
    return make_campaign(petition_target="The President", delivery_deadline=date(2013, 7, 31))


def url(name, campaign):
    return reverse(f"petitions:{name}", args=[campaign.slug])


def ready(delivery: PetitionDelivery) -> PetitionDelivery:
    """A delivery whose letter is built (the build itself is tested with the real worker)."""
    from lantern import pdfjobs

    pdfjobs.start(delivery, 1)
    pdfjobs.finish(delivery, b"%PDF-1.7 letter", "letter.pdf")
    delivery.refresh_from_db()
    return delivery


def test_organizer_sees_the_freeze_form(client, cast, campaign):
    client.force_login(cast.organizer)

    response = client.get(url("delivery", campaign))

    assert response.status_code == 200
    assert "Freeze the petition and build the letter" in response.content.decode()


def test_organizer_freezes_and_sees_the_build_waiting(client, cast, campaign):
    client.force_login(cast.organizer)

    response = client.post(url("freeze", campaign), {"place": "Stockholm"})

    assert response.status_code == 302
    delivery = PetitionDelivery.objects.get(campaign=campaign)
    assert delivery.place == "Stockholm"
    assert delivery.frozen_by == cast.organizer
    page = client.get(url("delivery", campaign)).content.decode()
    assert "The PDF is waiting for the worker." in page
    assert "<progress" in page
    assert "Record the posting" not in page, "no form to fill in on a page that reloads itself"


def test_freezing_twice_says_so(client, cast, campaign):
    freeze_petition(campaign, None)
    client.force_login(cast.organizer)

    response = client.post(url("freeze", campaign), {})

    assert response.status_code == 409
    assert "already frozen" in response.content.decode()


def test_organizer_records_posting_and_the_campaign_page_says_when_the_letter_was_sent(
    client, cast, campaign
):
    ready(freeze_petition(campaign, None))
    client.force_login(cast.organizer)
    today = timezone.localdate()

    response = client.post(
        url("delivery_posted", campaign), {"posted_on": today.isoformat(), "tracking_number": "RR1"}
    )

    assert response.status_code == 302
    public = client.get(reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert f"The letter to The President was sent by post on {today:%-d %B %Y}." in public
    assert "no more signatures are added" in public
    assert 'action="/campaigns/' + campaign.slug + '/sign/"' not in public


def test_a_bad_posting_date_is_refused_with_the_form_kept(client, cast, campaign):
    ready(freeze_petition(campaign, None))
    client.force_login(cast.organizer)

    response = client.post(url("delivery_posted", campaign), {"posted_on": "31/31/2013"})

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_organizer_downloads_the_built_letter(client, cast, campaign):
    ready(freeze_petition(campaign, None))
    client.force_login(cast.organizer)

    response = client.get(url("delivery_pdf", campaign))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"%PDF-1.7 letter"


def test_the_letter_is_404_before_it_is_built(client, cast, campaign):
    freeze_petition(campaign, None)
    client.force_login(cast.organizer)

    assert client.get(url("delivery_pdf", campaign)).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("delivery", "get"),
        ("freeze", "post"),
        ("delivery_rebuild", "post"),
        ("delivery_posted", "post"),
        ("delivery_pdf", "get"),
    ],
)
def test_partners_roles_get_403_and_anonymous_goes_to_login(client, cast, campaign, name, method):
    ready(freeze_petition(campaign, None))
    target = url(name, campaign)

    anonymous = getattr(client, method)(target)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("partners:login"))
    for user in (cast.moderator, cast.reporter, cast.outsider):
        client.force_login(user)
        assert getattr(client, method)(target).status_code == 403, user


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("delivery", "post"),
        ("freeze", "get"),
        ("delivery_rebuild", "get"),
        ("delivery_posted", "get"),
        ("delivery_pdf", "post"),
    ],
)
def test_wrong_method_is_405(client, cast, campaign, name, wrong):
    client.force_login(cast.organizer)

    assert getattr(client, wrong)(url(name, campaign)).status_code == 405


def test_rebuild_queues_the_letter_again(client, cast, campaign):
    delivery = ready(freeze_petition(campaign, None))
    client.force_login(cast.organizer)

    response = client.post(url("delivery_rebuild", campaign))

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.pdf_state == PetitionDelivery.PdfState.QUEUED


def test_the_campaign_page_links_organizers_to_the_delivery_page(client, cast, campaign):
    campaign.petition_text = "Release him."
    campaign.save(update_fields=["petition_text"])
    link = url("delivery", campaign)
    page = reverse("campaigns:detail", args=[campaign.slug])

    assert link not in client.get(page).content.decode()
    client.force_login(cast.organizer)
    assert link in client.get(page).content.decode()
