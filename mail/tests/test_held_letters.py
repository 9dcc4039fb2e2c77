"""Letters held after a release: the organizer marks them handed over or gives them back (the
writer told by email, through the real task worker and a real SMTP server on loopback)."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case
from conftest import Cast, SmtpServer
from lantern.privacy import normalize_email, seal
from lantern.testing import run_task_worker
from letters.models import Letter
from mail.tests.factories import make_case_at, make_facility, make_letter, make_mail_desk
from privacy.models import TransientAddress
from privacy.services import new_address

pytestmark = pytest.mark.django_db(transaction=True)  # the email is enqueued on commit

URL = "/mail/held/"


@pytest.fixture
def freed():
    case = make_case_at(make_facility(), name="Volha Kazachnaya")
    case.status = Case.Status.RELEASED
    case.save(update_fields=["status"])
    return case


def test_the_desk_lists_held_letters_and_an_organizer_marks_them_handed_over(
    client: Client, cast: Cast, freed: Case
) -> None:
    held = [make_letter(freed), make_letter(freed)]
    client.force_login(cast.organizer)

    page = client.get(reverse("mail:desk")).content.decode()
    assert "Held: the person is no longer in prison: 2 letters" in page
    assert f'name="letter" value="{held[0].pk}"' in page

    response = client.post(URL, {"letter": [held[0].pk], "outcome": "handed_over"}, follow=True)

    assert "1 letter marked handed over." in response.content.decode()
    held[0].refresh_from_db()
    held[1].refresh_from_db()
    assert (held[0].status, held[1].status) == (Letter.Status.HANDED_OVER, Letter.Status.APPROVED)


def test_letters_given_back_tell_their_writers(
    client: Client, cast: Cast, freed: Case, smtp_server: SmtpServer
) -> None:
    told = make_letter(
        freed,
        author_name="Anna Lindqvist",
        author_language="en",
        author_contact_sealed=seal(normalize_email("anna@example.org")),
        text="Dear Volha, spring is here.",
    )
    # What submit_letter keeps of a writer's address until the letter is posted.
    new_address(TransientAddress.Purpose.LETTER_AUTHOR, told.pk, "anna@example.org")
    silent = make_letter(freed)
    client.force_login(cast.organizer)

    client.post(URL, {"letter": [told.pk, silent.pk], "outcome": "given_back"})
    run_task_worker()

    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.GIVEN_BACK}
    (message,) = smtp_server.messages
    assert message["To"] == "anna@example.org"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Your letter to Volha Kazachnaya was not posted"
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    text = payload.decode(message.get_content_charset() or "ascii")
    assert "Volha Kazachnaya was released before your letter could be posted" in text
    assert "Dear Volha, spring is here." in text
    assert not TransientAddress.objects.exists()  # told once, then forgotten
    assert f"/campaigns/{told.campaign.slug}/write-to-someone/" in text


def test_a_letter_no_longer_held_is_refused_and_nothing_changes(
    client: Client, cast: Cast, freed: Case
) -> None:
    letter = make_letter(freed)
    freed.status = Case.Status.SENTENCED  # arrested again before the organizer acted
    freed.save(update_fields=["status"])
    client.force_login(cast.organizer)

    response = client.post(URL, {"letter": [letter.pk], "outcome": "handed_over"}, follow=True)

    assert "no longer held" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED


def test_only_organizers_may_mark_held_letters(client: Client, cast: Cast, freed: Case) -> None:
    letter = make_letter(freed)
    data = {"letter": [letter.pk], "outcome": "handed_over"}
    assert client.post(URL, data).status_code == 302  # to the sign-in page
    client.force_login(make_mail_desk(cast))
    assert client.post(URL, data).status_code == 403
    page = client.get(reverse("mail:desk")).content.decode()
    assert "Held: the person is no longer in prison: 1 letter" in page
    assert 'name="letter"' not in page  # the mail desk sees them, organizers decide
    client.force_login(cast.organizer)
    assert client.get(URL).status_code == 405
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED
