"""The mail desk's pages: allowed roles, forbidden roles (403), anonymous, wrong method (405)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from lantern import pdfjobs
from letters.models import Letter
from mail.models import MailBatch, MailItem
from mail.services import build_batch, mark_batch_posted
from mail.tests.factories import make_case_at, make_facility, make_letter, make_mail_desk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def facility():
    return make_facility()


@pytest.fixture
def desk_user(cast):
    return make_mail_desk(cast)


@pytest.fixture
def batch(facility):
    make_letter(make_case_at(facility, name="Ales Bialiatski"), author_name="Zofia Nowak")
    made = build_batch(facility, None)
    pdfjobs.start(made, 1)
    pdfjobs.finish(made, b"%PDF-1.7 batch", "batch.pdf")
    made.refresh_from_db()
    return made


def urls(facility, batch):
    """Every mail page: (url name, url, method)."""
    item = batch.items.get()
    return [
        ("desk", reverse("mail:desk"), "get"),
        ("facility", reverse("mail:facility", args=[facility.pk]), "get"),
        ("new_batch", reverse("mail:new_batch", args=[facility.pk]), "post"),
        ("batch", reverse("mail:batch", args=[batch.pk]), "get"),
        ("batch_pdf", reverse("mail:batch_pdf", args=[batch.pk]), "get"),
        ("rebuild", reverse("mail:rebuild", args=[batch.pk]), "post"),
        ("posted", reverse("mail:posted", args=[batch.pk]), "post"),
        ("outcome", reverse("mail:outcome", args=[item.pk]), "post"),
        ("outcomes", reverse("mail:outcomes"), "get"),
    ]


def test_anonymous_visitors_are_sent_to_the_members_login(client, facility, batch):
    for name, url, method in urls(facility, batch):
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response["Location"] == f"{reverse('partners:login')}?next={url}", name


def test_other_roles_get_403(client, cast, facility, batch):
    for user in (cast.moderator, cast.reporter, cast.outsider):
        client.force_login(user)
        for name, url, method in urls(facility, batch):
            assert getattr(client, method)(url).status_code == 403, (user, name)


def test_the_outcome_statistics_are_for_organizers_not_the_mail_desk(client, cast, desk_user):
    client.force_login(desk_user)
    assert client.get(reverse("mail:outcomes")).status_code == 403
    client.force_login(cast.organizer)
    assert client.get(reverse("mail:outcomes")).status_code == 200


def test_wrong_method_is_405(client, cast, facility, batch):
    client.force_login(cast.organizer)
    for name, url, method in urls(facility, batch):
        wrong = "post" if method == "get" else "get"
        assert getattr(client, wrong)(url).status_code == 405, name


def test_mail_desk_sees_ready_and_held_letters_and_makes_a_batch(client, facility, desk_user):
    make_letter(make_case_at(facility, name="Ales Bialiatski"), author_name="Zofia Nowak")
    make_letter(
        make_case_at(facility, name="Maria Kalesnikava", status=Case.Status.IN_TRANSIT),
        author_name="Jan Kowalski",
    )
    client.force_login(desk_user)

    page = client.get(reverse("mail:facility", args=[facility.pk])).content.decode()
    response = client.post(reverse("mail:new_batch", args=[facility.pk]))

    assert "Ready for the next batch: 1 letter" in page
    assert "Held while the person is in transit: 1 letter" in page
    assert "Jan Kowalski" in page
    batch = MailBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mail:batch", args=[batch.pk])
    assert batch.created_by == desk_user
    desk_page = client.get(reverse("mail:desk")).content.decode()
    assert "Held while the person is in transit: 1 letter" in desk_page
    batch_page = client.get(response["Location"]).content.decode()
    assert "The PDF is waiting for the worker." in batch_page
    assert "Mark the batch posted" not in batch_page, "no form on a page that reloads itself"
    assert "Zofia Nowak" in batch_page


def test_making_a_batch_with_nothing_ready_says_so(client, facility, desk_user):
    client.force_login(desk_user)

    response = client.post(reverse("mail:new_batch", args=[facility.pk]))

    assert response.status_code == 409
    assert "No letter is ready for this facility." in response.content.decode()


def test_mail_desk_downloads_the_pdf_and_marks_the_batch_posted(client, batch, desk_user):
    client.force_login(desk_user)
    today = timezone.localdate()

    pdf = client.get(reverse("mail:batch_pdf", args=[batch.pk]))
    posted = client.post(
        reverse("mail:posted", args=[batch.pk]),
        {"posted_on": today.isoformat(), "tracking_number": "RB1"},
    )

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="mail-batch-{batch.pk}.pdf"'
    assert b"".join(pdf.streaming_content) == b"%PDF-1.7 batch"
    assert posted.status_code == 302
    batch.refresh_from_db()
    assert batch.posted_on == today
    assert Letter.objects.get().status == Letter.Status.POSTED
    page = client.get(reverse("mail:batch", args=[batch.pk])).content.decode()
    assert "Tracking number: RB1." in page
    assert 'name="outcome"' in page


def test_a_bad_posting_date_keeps_the_form_with_an_error(client, batch, desk_user):
    client.force_login(desk_user)

    response = client.post(reverse("mail:posted", args=[batch.pk]), {"posted_on": "yesterday"})

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_mail_desk_records_an_outcome(client, batch, desk_user):
    mark_batch_posted(batch, posted_on=timezone.localdate(), tracking_number="", user=None)
    item = batch.items.get()
    client.force_login(desk_user)

    response = client.post(reverse("mail:outcome", args=[item.pk]), {"outcome": "censored"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == MailItem.Outcome.CENSORED
    assert item.outcome_by == desk_user
    assert Letter.objects.get().status == Letter.Status.CENSORED


def test_an_unknown_outcome_is_refused(client, batch, desk_user):
    mark_batch_posted(batch, posted_on=timezone.localdate(), tracking_number="", user=None)
    client.force_login(desk_user)

    response = client.post(
        reverse("mail:outcome", args=[batch.items.get().pk]), {"outcome": "lost"}
    )

    assert response.status_code == 400
    assert batch.items.get().outcome == ""


def test_the_desk_and_outcome_pages_take_a_fixed_number_of_queries(
    client, cast, facility, django_assert_max_num_queries
):
    for n in range(5):
        other = make_facility(name=f"Prison {n}")
        make_letter(make_case_at(other))
        build_batch(other, None)
    client.force_login(cast.organizer)

    with django_assert_max_num_queries(8):
        assert client.get(reverse("mail:desk")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("mail:outcomes")).status_code == 200


def test_the_facility_and_batch_pages_take_a_fixed_number_of_queries(
    client, cast, facility, django_assert_max_num_queries
):
    for n in range(6):
        make_letter(make_case_at(facility, status=Case.Status.IN_TRANSIT if n % 2 else "sentenced"))
    batch = build_batch(facility, None)
    client.force_login(cast.organizer)

    with django_assert_max_num_queries(8):
        assert client.get(reverse("mail:facility", args=[facility.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("mail:batch", args=[batch.pk])).status_code == 200


def test_a_mail_desk_member_signs_in_on_the_members_page_and_lands_on_the_desk(client, desk_user):
    from conftest import PASSWORD

    desk = reverse("mail:desk")
    login = client.get(desk)["Location"]

    response = client.post(login, {"username": desk_user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == desk
    assert client.get(desk).status_code == 200
