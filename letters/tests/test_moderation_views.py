from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from cases.models import Case
from conftest import Cast
from lantern.testing import make_campaign, make_case, make_partner
from letters.models import Letter
from letters.tests.conftest import CLEAN_RU, FLAGGED_RU, write
from partners.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(campaign: Campaign, prisoner: Case) -> Letter:
    return write(campaign, prisoner, FLAGGED_RU)


def url(name: str, letter: Letter | None = None) -> str:
    return reverse(f"letters:{name}", args=[letter.pk] if letter else [])


def test_the_queue_lists_letters_waiting_oldest_first(
    client: Client,
    cast: Cast,
    campaign: Campaign,
    prisoner: Case,
    django_assert_max_num_queries: object,
) -> None:
    first = write(campaign, prisoner, FLAGGED_RU)
    second = write(campaign, prisoner, CLEAN_RU)
    for _ in range(5):
        write(campaign, prisoner, CLEAN_RU)
    client.force_login(cast.moderator)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        page = client.get(url("moderate")).content.decode()
    assert page.index(url("moderate_letter", first)) < page.index(url("moderate_letter", second))
    assert "(1 blocking)" in page


def test_a_moderator_sees_only_the_campaigns_of_their_partner(
    client: Client, cast: Cast, letter: Letter
) -> None:
    elsewhere = make_campaign(cases=[make_case()], partners=[make_partner()])
    other = write(elsewhere, elsewhere.cases.get(), CLEAN_RU)
    client.force_login(cast.moderator)
    page = client.get(url("moderate")).content.decode()
    assert url("moderate_letter", letter) in page
    assert url("moderate_letter", other) not in page
    assert client.get(url("moderate_letter", other)).status_code == 403
    assert client.post(url("approve", other)).status_code == 403
    assert Letter.objects.get(pk=other.pk).status == Letter.Status.SUBMITTED


def test_findings_are_highlighted_with_their_reason(
    client: Client, cast: Cast, letter: Letter
) -> None:
    client.force_login(cast.moderator)
    page = client.get(url("moderate_letter", letter)).content.decode()
    assert (
        '<mark class="block" title="The war and the army: letters about them do not pass '
        'the censor.">войне' in page
    )
    assert '<mark class="warning"' in page and ">приговор<" in page


@pytest.mark.parametrize("user", ["organizer", "moderator"])
def test_allowed_roles_approve(client: Client, cast: Cast, letter: Letter, user: str) -> None:
    client.force_login(getattr(cast, user))
    response = client.post(url("approve", letter))
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.APPROVED


def test_an_edit_keeps_the_original(client: Client, cast: Cast, letter: Letter) -> None:
    client.force_login(cast.moderator)
    response = client.post(url("edit", letter), {"text": CLEAN_RU})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.text, letter.original_text) == (CLEAN_RU, FLAGGED_RU)
    page = client.get(url("moderate_letter", letter)).content.decode()
    assert "The author's original text" in page
    assert FLAGGED_RU in page


def test_a_rejection_without_a_reason_is_shown_again(
    client: Client, cast: Cast, letter: Letter
) -> None:
    client.force_login(cast.moderator)
    response = client.post(url("reject", letter), {"reason": ""})
    assert response.status_code == 400
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.NEEDS_REVIEW
    response = client.post(url("reject", letter), {"reason": "It speaks of the war."})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.rejection_reason) == ("rejected", "It speaks of the war.")


def test_acting_twice_says_someone_else_was_first(
    client: Client, cast: Cast, letter: Letter
) -> None:
    client.force_login(cast.moderator)
    client.post(url("approve", letter))
    response = client.post(url("reject", letter), {"reason": "late"}, follow=True)
    assert "Someone else has already handled this letter." in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.APPROVED


@pytest.mark.parametrize("user", ["reporter", "outsider"])
def test_other_roles_are_forbidden(client: Client, cast: Cast, letter: Letter, user: str) -> None:
    client.force_login(getattr(cast, user))
    assert client.get(url("moderate")).status_code == 403
    assert client.get(url("moderate_letter", letter)).status_code == 403
    assert client.post(url("approve", letter)).status_code == 403
    assert client.post(url("edit", letter), {"text": "x"}).status_code == 403
    assert client.post(url("reject", letter), {"reason": "x"}).status_code == 403
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.NEEDS_REVIEW


def test_a_translator_is_not_a_moderator(
    client: Client, cast: Cast, letter: Letter, translator: object
) -> None:
    client.force_login(translator)  # type: ignore[arg-type]
    assert client.get(url("moderate")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client: Client, letter: Letter) -> None:
    for path in (url("moderate"), url("moderate_letter", letter)):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login/" in response["Location"] or "login" in response["Location"]
    assert client.post(url("approve", letter)).status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.NEEDS_REVIEW


def test_wrong_methods_are_not_allowed(client: Client, cast: Cast, letter: Letter) -> None:
    client.force_login(cast.moderator)
    assert client.post(url("moderate")).status_code == 405
    assert client.post(url("moderate_letter", letter)).status_code == 405
    assert client.get(url("approve", letter)).status_code == 405
    assert client.get(url("edit", letter)).status_code == 405
    assert client.get(url("reject", letter)).status_code == 405
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.NEEDS_REVIEW


def test_an_unknown_letter_is_not_found(client: Client, cast: Cast) -> None:
    client.force_login(cast.moderator)
    assert client.get(reverse("letters:moderate_letter", args=[999999])).status_code == 404


def test_a_moderator_without_a_partner_in_the_campaign_is_forbidden(
    client: Client, cast: Cast, letter: Letter
) -> None:
    Membership.objects.create(
        user=cast.outsider, partner=make_partner(), role=Membership.Role.MODERATOR
    )
    client.force_login(cast.outsider)
    assert client.get(url("moderate")).status_code == 200
    assert client.get(url("moderate_letter", letter)).status_code == 403


def test_the_site_menu_links_to_the_queues_for_their_roles(
    client: Client, cast: Cast, letter: Letter, translator: object
) -> None:
    home = reverse("campaigns:home")
    assert url("moderate") not in client.get(home).content.decode()
    client.force_login(cast.moderator)
    page = client.get(home).content.decode()
    assert url("moderate") in page and reverse("letters:translate") not in page
    client.force_login(translator)  # type: ignore[arg-type]
    page = client.get(home).content.decode()
    assert url("moderate") not in page and reverse("letters:translate") in page
