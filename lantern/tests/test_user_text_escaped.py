"""What supporters, groups and editors write is shown as text wherever it is rendered: event
titles, notes and photo captions (the event page, the public results), letters from prison
(the public post page and list), and signers' names (the partner's supporters page)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from correspondence.services import PostInput, create_post, publish_post
from events.services import EventInput, clean_photo, report_event
from events.tests.photos import jpeg_with_gps_and_xmp
from lantern.testing import HOSTILE_TEXTS, assert_inert, make_campaign, make_case
from partners.models import Membership
from petitions.services import SignatureInput, sign_petition

pytestmark = pytest.mark.django_db
HOSTILE = "\n".join(HOSTILE_TEXTS)


def test_event_title_note_and_captions_are_text_on_the_event_and_results_pages(
    client: Client, cast: Cast
) -> None:
    import io

    campaign = make_campaign(partners=[cast.partner])
    photo = clean_photo(io.BytesIO(jpeg_with_gps_and_xmp((800, 600))))
    event = report_event(
        cast.partner,
        EventInput(
            campaign=campaign,
            title=HOSTILE_TEXTS[0],
            country="PL",
            happened_at=datetime(2012, 12, 10, 18, tzinfo=timezone(timedelta(hours=1))),
            note=HOSTILE,
            counts={"letter": 3},
            photos=[(photo, HOSTILE)],
        ),
        reported_by=cast.reporter,
    )
    client.force_login(cast.organizer)
    assert_inert(client.get(reverse("events:detail", args=[event.pk])).content.decode())
    results = Client().get(reverse("reports:results", args=[campaign.slug]))
    assert_inert(results.content.decode())


def test_a_letter_from_prison_is_text_on_its_page_and_in_the_list(client: Client) -> None:
    post = create_post(
        PostInput(case=make_case(), title=HOSTILE_TEXTS[0], body=HOSTILE, excerpt=HOSTILE),
        author=None,
    )
    publish_post(post)
    assert_inert(client.get(reverse("correspondence:list")).content.decode())
    assert_inert(client.get(post.get_absolute_url()).content.decode())


def test_signers_names_are_text_on_the_partners_supporters_page(client: Client, cast: Cast) -> None:
    campaign = make_campaign(partners=[cast.partner], requires_confirmation=False)
    data = SignatureInput(
        name=HOSTILE_TEXTS[0], email="h@example.org", country="PL", city=HOSTILE_TEXTS[1],
        consent_contact=True,
    )  # fmt: skip
    sign_petition(campaign, data, partner=cast.partner)
    Membership.objects.filter(user=cast.reporter).update(role=Membership.Role.PARTNER_ADMIN)
    client.force_login(cast.reporter)
    page = client.get(reverse("partners:supporters", args=[cast.partner.slug]))
    assert page.status_code == 200
    assert_inert(page.content.decode())
