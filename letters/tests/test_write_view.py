from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.types import ActionType
from campaigns.models import Campaign
from cases.models import Case
from conftest import Cast
from lantern.testing import make_campaign, make_case, make_partner, with_pow
from letters.models import Letter, LetterTemplate
from letters.tests.conftest import CLEAN_RU

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "letter",
    "text": CLEAN_RU,
    "author_name": "Zofia",
    "author_country": "PL",
    "author_email": "",
}


def write_url(campaign: Campaign) -> str:
    return reverse("letters:write", args=[campaign.slug])


def test_the_campaign_page_links_to_writing(client: Client, campaign: Campaign) -> None:
    page = client.get(reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert f'{write_url(campaign)}?case=ales-bialiatski"' in page


def test_no_link_when_the_campaign_takes_no_letters(client: Client, prisoner: Case) -> None:
    petition_only = make_campaign(cases=[prisoner], action_types=[ActionType.SIGNATURE])
    page = client.get(reverse("campaigns:detail", args=[petition_only.slug])).content.decode()
    assert "/write/" not in page


def test_the_form_shows_the_prisons_guidance_and_templates(
    client: Client, campaign: Campaign, prisoner: Case
) -> None:
    facility = prisoner.current_address().facility  # type: ignore[union-attr]
    LetterTemplate.objects.create(
        facility=facility, language="ru", title="Весенний привет", text="Дорогой Алесь!"
    )
    LetterTemplate.objects.create(country="RU", language="ru", title="Not for Belarus", text="x")
    response = client.get(write_url(campaign))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Penal colony No. 2, Babruysk" in page
    assert "Write about books, nature and your town." in page
    assert "Весенний привет" in page and 'data-text="Дорогой Алесь!"' in page
    assert "Not for Belarus" not in page
    assert 'for="id_text"' in page, "the text area has a label"


def test_sending_a_letter_stores_it_and_counts_it(client: Client, campaign: Campaign) -> None:
    response = client.post(write_url(campaign), with_pow({**FORM, "case": "ales-bialiatski"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("letters:written", args=[campaign.slug]))
    letter = Letter.objects.get()
    assert (letter.text, letter.author_name, letter.status) == (CLEAN_RU, "Zofia", "submitted")
    assert Action.objects.get().action_type == ActionType.LETTER


def test_a_bad_form_is_shown_again_with_the_text_kept(client: Client, campaign: Campaign) -> None:
    response = client.post(
        write_url(campaign), with_pow({**FORM, "author_name": "", "author_email": "z@"})
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert CLEAN_RU in page, "nothing the writer typed is lost"
    assert "Enter a valid email address." in page
    assert not Letter.objects.exists()


def test_an_address_without_consent_is_refused(client: Client, campaign: Campaign) -> None:
    response = client.post(write_url(campaign), with_pow({**FORM, "author_email": "z@example.org"}))
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()


def test_a_case_that_may_not_be_written_to_says_so(client: Client, campaign: Campaign) -> None:
    hidden = make_case(slug="at-risk", may_be_written_to=False)
    campaign.cases.add(hidden)
    response = client.get(write_url(campaign) + "?case=at-risk")
    assert response.status_code == 409
    assert "could put them in danger" in response.content.decode()
    response = client.post(write_url(campaign), with_pow({**FORM, "case": "at-risk"}))
    assert response.status_code == 409
    assert not Letter.objects.exists()


def test_a_case_in_transit_says_the_letter_will_wait(
    client: Client, campaign: Campaign, prisoner: Case
) -> None:
    prisoner.status = Case.Status.IN_TRANSIT
    prisoner.save(update_fields=["status"])
    assert "being moved between prisons" in client.get(write_url(campaign)).content.decode()


def test_a_case_outside_the_campaign_is_not_found(client: Client, campaign: Campaign) -> None:
    make_case(slug="elsewhere")
    assert client.get(write_url(campaign) + "?case=elsewhere").status_code == 404
    assert (
        client.post(write_url(campaign), with_pow({**FORM, "case": "elsewhere"})).status_code == 404
    )
    assert not Letter.objects.exists()


def test_the_safety_profile_is_explained_to_writers(
    client: Client, campaign: Campaign, prisoner: Case
) -> None:
    assert "full name" not in client.get(write_url(campaign)).content.decode()
    prisoner.named_correspondents_only = True
    prisoner.letters_from_abroad_risky = True
    prisoner.save(update_fields=["named_correspondents_only", "letters_from_abroad_risky"])
    page = client.get(write_url(campaign)).content.decode()
    assert "only letters signed with a full name" in page
    assert "Letters from abroad can draw the prison" in page


def test_a_draft_campaign_is_not_found(client: Client, prisoner: Case) -> None:
    draft = make_campaign(cases=[prisoner], status=Campaign.Status.DRAFT)
    assert client.get(write_url(draft)).status_code == 404


def test_other_methods_are_not_allowed(client: Client, campaign: Campaign) -> None:
    assert client.put(write_url(campaign)).status_code == 405
    assert client.post(reverse("letters:written", args=[campaign.slug])).status_code == 405


def form_key(page: str) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert match, "the form carries its one-time key"
    return match.group(1)


def test_each_form_carries_a_new_one_time_key(client: Client, campaign: Campaign) -> None:
    first = form_key(client.get(write_url(campaign)).content.decode())
    second = form_key(client.get(write_url(campaign)).content.decode())
    assert first != second


def test_a_form_sent_twice_after_no_answer_is_one_letter(
    client: Client, campaign: Campaign
) -> None:
    key = form_key(client.get(write_url(campaign)).content.decode())
    sent = {**FORM, "case": "ales-bialiatski", "submission_key": key}

    first = client.post(write_url(campaign), with_pow(sent))
    retry = client.post(write_url(campaign), with_pow(sent))  # the widget solves again

    assert first.status_code == retry.status_code == 302
    assert retry["Location"] == first["Location"], "the writer sees the same thank-you page"
    assert Letter.objects.get().submission_key == key
    assert Action.objects.count() == 1


def test_a_form_shown_again_with_errors_keeps_its_key(client: Client, campaign: Campaign) -> None:
    key = form_key(client.get(write_url(campaign)).content.decode())
    response = client.post(
        write_url(campaign), with_pow({**FORM, "author_name": "", "submission_key": key})
    )
    assert response.status_code == 400
    assert form_key(response.content.decode()) == key


def test_a_damaged_key_is_ignored_and_the_letter_kept(client: Client, campaign: Campaign) -> None:
    damaged = {**FORM, "case": "ales-bialiatski", "submission_key": "<script>"}
    assert client.post(write_url(campaign), with_pow(damaged)).status_code == 302
    assert Letter.objects.get().submission_key is None


def test_a_letter_written_through_a_partners_link_counts_for_that_partner(
    client: Client, campaign: Campaign, cast: Cast
) -> None:
    slug = cast.partner.slug
    campaign_page = client.get(
        reverse("campaigns:detail", args=[campaign.slug]) + f"?partner={slug}"
    )
    assert f"&amp;partner={slug}" in campaign_page.content.decode(), "the write link carries it"
    page = client.get(write_url(campaign) + f"?case=ales-bialiatski&partner={slug}")
    assert f'<input type="hidden" name="partner" value="{slug}">' in page.content.decode()

    response = client.post(
        write_url(campaign), with_pow({**FORM, "case": "ales-bialiatski", "partner": slug})
    )

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.partner == cast.partner
    assert letter.action is not None and letter.action.partner == cast.partner


def test_a_partner_not_in_the_campaign_is_ignored_and_the_letter_kept(
    client: Client, campaign: Campaign
) -> None:
    other = make_partner(slug="not-taking-part")

    response = client.post(
        write_url(campaign), with_pow({**FORM, "case": "ales-bialiatski", "partner": other.slug})
    )

    assert response.status_code == 302
    assert Letter.objects.get().partner is None
