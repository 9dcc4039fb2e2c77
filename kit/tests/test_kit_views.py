"""Who may open the offline kit and download its pieces: every member of a partner taking part
(its QR codes count for that partner), organizers on the campaign's organizer page (choosing
the partner); others 403, anonymous visitors the sign-in page, wrong methods 405."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from conftest import Cast
from kit.tests.factories import make_kit_campaign, make_kit_case
from lantern.testing import make_partner
from lantern.tests.pdftools import flat, pdf_text, qr_codes
from partners.models import Membership
from partners.tests.helpers import one_of_each_role

pytestmark = pytest.mark.django_db

Role = Membership.Role
EVERYONE = ["organizer", *Role.values, "other_partner_admin", "outsider"]
MEMBERS = {"organizer", *Role.values}


@pytest.fixture
def people(cast: Cast) -> dict[str, User]:
    return one_of_each_role(cast)


@pytest.fixture
def campaign(cast: Cast) -> Campaign:
    return make_kit_campaign(cast.partner)


def query(campaign: Campaign, **extra: str) -> str:
    values = {"case": campaign.cases.get().slug, "language": "pl", **extra}
    return "?" + "&".join(f"{k}={v}" for k, v in values.items())


# page -> (url builder, who may)
PAGES: dict[str, tuple[Callable[[Cast, Campaign], str], set[str]]] = {
    "partner kit page": (
        lambda cast, c: reverse("kit:partner_kit", args=[cast.partner.slug, c.slug]),
        MEMBERS,
    ),
    "partner poster": (
        lambda cast, c: (
            reverse("kit:partner_piece", args=[cast.partner.slug, c.slug, "poster"])
            + query(c, size="a3")
        ),
        MEMBERS,
    ),
    "partner petition sheets": (
        lambda cast, c: (
            reverse("kit:partner_piece", args=[cast.partner.slug, c.slug, "petition"])
            + query(c, sheets="2")
        ),
        MEMBERS,
    ),
    "organizer kit page": (
        lambda cast, c: reverse("kit:organizer_kit", args=[c.slug]),
        {"organizer"},
    ),
    "organizer postcards": (
        lambda cast, c: reverse("kit:organizer_piece", args=[c.slug, "postcards"]) + query(c),
        {"organizer"},
    ),
}


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("page", list(PAGES))
def test_each_role_may_open_only_what_its_role_grants(
    client: Client, cast: Cast, people: dict[str, User], campaign: Campaign, page: str, who: str
) -> None:
    url, allowed = PAGES[page]
    client.force_login(people[who])

    response = client.get(url(cast, campaign))

    if who in allowed:
        assert response.status_code == 200, response.content[:300]
        if page.endswith("page"):
            assert "Offline kit: Write for Rights" in response.content.decode()
        else:
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF-")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_visitors_are_sent_to_the_sign_in_page(
    client: Client, cast: Cast, campaign: Campaign, page: str
) -> None:
    response = client.get(PAGES[page][0](cast, campaign))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partners:login") + "?next=")


@pytest.mark.parametrize("page", list(PAGES))
def test_the_kit_takes_only_get(client: Client, cast: Cast, campaign: Campaign, page: str) -> None:
    client.force_login(cast.organizer)
    url = PAGES[page][0](cast, campaign)

    for method in ("post", "put", "delete"):
        assert getattr(client, method)(url).status_code == 405, method


def test_a_partners_pdf_counts_for_that_partner_and_names_the_file(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(cast.reporter)
    url = reverse("kit:partner_piece", args=[cast.partner.slug, campaign.slug, "poster"])

    # A partner cannot make its printouts count for another partner.
    response = client.get(url + query(campaign, size="a4", partner="elsewhere"))

    (code,) = qr_codes(response.content, 0, dpi=100)
    assert parse_qs(urlsplit(code.text).query) == {"partner": [cast.partner.slug]}
    case = campaign.cases.get().slug
    assert response["Content-Disposition"] == (
        f'attachment; filename="{campaign.slug}-{case}-poster-a4-pl.pdf"'
    )


def test_organizers_choose_the_partner_the_codes_count_for(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(cast.organizer)
    url = reverse("kit:organizer_piece", args=[campaign.slug, "stickers"])

    counted = client.get(url + query(campaign, partner=cast.partner.slug))
    neutral = client.get(url + query(campaign))
    outsider = client.get(url + query(campaign, partner=make_partner().slug))

    assert "partner=amnesty-poland" in qr_codes(counted.content, 0)[0].text
    assert "partner" not in qr_codes(neutral.content, 0)[0].text
    assert outsider.status_code == 400  # a partner not taking part is not offered


def test_the_kit_page_links_each_piece_with_the_choice_made(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(cast.reporter)
    url = reverse("kit:partner_kit", args=[cast.partner.slug, campaign.slug])

    page = client.get(url + query(campaign)).content.decode()

    poster = reverse("kit:partner_piece", args=[cast.partner.slug, campaign.slug, "poster"])
    case = campaign.cases.get().slug
    assert f'href="{poster}?case={case}&amp;language=pl&amp;size=a3"' in page
    assert f'href="{poster}?case={case}&amp;language=pl&amp;size=a4"' in page
    assert "?partner=amnesty-poland" in page  # where the codes lead
    assert "How paper comes back" in page


def test_the_kit_page_says_why_a_piece_cannot_be_made_and_the_pdf_is_refused(
    client: Client, cast: Cast
) -> None:
    campaign = make_kit_campaign(cast.partner, case=make_kit_case(status="in_transit"))
    client.force_login(cast.reporter)
    page = reverse("kit:partner_kit", args=[cast.partner.slug, campaign.slug])
    pdf = reverse("kit:partner_piece", args=[cast.partner.slug, campaign.slug, "postcards"])

    shown = client.get(page).content.decode()
    refused = client.get(pdf + query(campaign))

    assert "is being moved between prisons" in shown
    assert f'action="{pdf}"' not in shown
    assert refused.status_code == 409
    assert "is being moved between prisons" in refused.content.decode()
    assert page in refused.content.decode()


def test_a_bad_choice_shows_the_form_with_its_error(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(cast.reporter)
    url = reverse("kit:partner_piece", args=[cast.partner.slug, campaign.slug, "petition"])

    wrong_language = client.get(url + query(campaign, language="de"))
    too_many = client.get(url + query(campaign, sheets="500"))
    no_such_piece = client.get(
        reverse("kit:partner_piece", args=[cast.partner.slug, campaign.slug, "banner"])
    )

    assert wrong_language.status_code == 400
    assert "de is not one of the available choices" in wrong_language.content.decode()
    assert too_many.status_code == 400
    assert no_such_piece.status_code == 404


def test_a_campaign_the_partner_does_not_take_part_in_or_a_draft_is_404_to_members(
    client: Client, cast: Cast
) -> None:
    other = make_kit_campaign()
    draft = make_kit_campaign(cast.partner, status=Campaign.Status.DRAFT)
    client.force_login(cast.reporter)

    for campaign in (other, draft):
        url = reverse("kit:partner_kit", args=[cast.partner.slug, campaign.slug])
        assert client.get(url).status_code == 404
    client.force_login(cast.organizer)
    url = reverse("kit:partner_kit", args=[cast.partner.slug, draft.slug])
    assert "is a draft" in client.get(url).content.decode()


def test_members_and_organizers_find_the_kit_from_their_pages(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(cast.moderator)
    dashboard = client.get(reverse("partners:dashboard", args=[cast.partner.slug]))
    client.force_login(cast.organizer)
    campaign_page = client.get(reverse("campaigns:detail", args=[campaign.slug]))
    client.force_login(cast.reporter)
    not_staff = client.get(reverse("campaigns:detail", args=[campaign.slug]))

    kit = reverse("kit:partner_kit", args=[cast.partner.slug, campaign.slug])
    assert f'href="{kit}"' in dashboard.content.decode()
    organizer_kit = reverse("kit:organizer_kit", args=[campaign.slug])
    assert f'href="{organizer_kit}"' in campaign_page.content.decode()
    assert organizer_kit not in not_staff.content.decode()


def test_the_pdf_is_in_the_chosen_language_whatever_the_pages(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(cast.reporter)
    url = reverse("kit:partner_piece", args=[cast.partner.slug, campaign.slug, "poster"])

    pdf = client.get(url + query(campaign, size="a4"), HTTP_ACCEPT_LANGUAGE="uk").content

    assert "Podpisz petycję i napisz list." in flat(pdf_text(pdf))
