"""The organizers' registry pages: the list, an import's changes, a prisoner's corrections;
allowed, forbidden (403), anonymous (to the sign-in page) and wrong method (405)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from registry.models import Change, Correction, Observation, Source
from registry.tests.conftest import FIRST, SECOND, add_prisoner, load, prisoner

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(source: Source) -> tuple[Observation, Observation]:
    first, second = load(source, FIRST, ago=35), load(source, SECOND, ago=5)
    assert first.observation is not None and second.observation is not None
    return first.observation, second.observation


def pages(imported: tuple[Observation, Observation]) -> list[tuple[str, str]]:
    entry = prisoner("viasna-0002")
    return [
        (reverse("registry:list"), "get"),
        (reverse("registry:observation", args=[imported[1].pk]), "get"),
        (reverse("registry:prisoner_admin", args=[entry.pk]), "get"),
        (reverse("registry:clear", args=[entry.pk]), "post"),
    ]


def as_shown(client: Client, url: str) -> dict[str, object]:
    """The correction form's fields as the page fills them in."""
    return {name: value or "" for name, value in client.get(url).context["form"].initial.items()}


def test_anonymous_visitors_go_to_sign_in_and_other_roles_get_403(
    client: Client, cast: Cast, imported: tuple[Observation, Observation]
) -> None:
    for url, method in pages(imported):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("partners:login")), url
    for user in (cast.moderator, cast.reporter, cast.outsider):
        client.force_login(user)
        for url, method in pages(imported):
            assert getattr(client, method)(url).status_code == 403, (user, url)


def test_wrong_methods_are_refused(
    client: Client, cast: Cast, imported: tuple[Observation, Observation]
) -> None:
    client.force_login(cast.organizer)
    for url, method in pages(imported):
        wrong = client.get if method == "post" else client.delete
        assert wrong(url).status_code == 405, url


def test_an_imports_page_shows_what_changed_by_kind(
    client: Client, cast: Cast, imported: tuple[Observation, Observation]
) -> None:
    client.force_login(cast.organizer)

    page = client.get(reverse("registry:observation", args=[imported[1].pk])).content.decode()

    assert "21 people on the list." in page
    assert "Compared with the list of" in page
    assert "Transferred: 1" in page and "Pavel Niaisny" in page
    assert "Released: 1" in page and "Volha Kazachnaya" in page
    assert "Gone from the list: 1" in page and "Raman Vydumka" in page
    assert "New on the list: 2" in page
    assert "<del>4 years, general-regime colony</del>" in page


def test_a_failed_imports_page_lists_the_bad_rows(
    client: Client, cast: Cast, source: Source
) -> None:
    failed = Observation.objects.create(
        source=source,
        retrieved_at=source.created_at,
        filename="bad.csv",
        sha256="0" * 64,
        format="csv",
        state=Observation.State.FAILED,
        errors=[{"line": 4, "message": "status is missing"}],
    )
    client.force_login(cast.organizer)

    page = client.get(reverse("registry:observation", args=[failed.pk])).content.decode()

    assert "Nothing imported: 1 problem." in page
    assert "line 4: status is missing" in page


def test_an_organizer_corrects_a_prisoner_and_lets_the_list_decide_again(
    client: Client, cast: Cast, imported: tuple[Observation, Observation]
) -> None:
    entry = prisoner("viasna-0002")
    url = reverse("registry:prisoner_admin", args=[entry.pk])
    client.force_login(cast.organizer)
    data = as_shown(client, url)

    saved = client.post(url, {**data, "birth_year": "1986", "note": "His family"}, follow=True)

    assert "Corrected: Year of birth." in saved.content.decode()
    entry.refresh_from_db()
    assert (entry.birth_year, entry.corrected) == (1986, ["birth_year"])
    correction = Correction.objects.get(prisoner=entry)
    assert (correction.old, correction.new, correction.corrected_by) == (
        "1985",
        "1986",
        cast.organizer,
    )
    assert "Let the list decide again" in saved.content.decode()

    client.post(reverse("registry:clear", args=[entry.pk]), {"field": "birth_year"})

    entry.refresh_from_db()
    assert entry.corrected == []


def test_a_correction_form_with_an_address_but_no_facility_is_refused(
    client: Client, cast: Cast, imported: tuple[Observation, Observation]
) -> None:
    entry = prisoner("viasna-0002")
    url = reverse("registry:prisoner_admin", args=[entry.pk])
    client.force_login(cast.organizer)
    data = as_shown(client, url)

    response = client.post(url, {**data, "facility": "", "facility_address": "ул. Якубовского, 2"})

    assert response.status_code == 400
    assert "Name the facility of this address." in response.content.decode()
    assert not Correction.objects.exists()


def test_the_prisoner_page_shows_the_latest_disagreement(
    client: Client, cast: Cast, source: Source
) -> None:
    load(source, FIRST, ago=35)
    entry = prisoner("viasna-0011")
    entry.case.status = "detained"
    entry.case.save(update_fields=["status"])
    load(source, SECOND, ago=5)
    client.force_login(cast.organizer)

    page = client.get(reverse("registry:prisoner_admin", args=[entry.pk])).content.decode()

    assert "The latest list disagrees with a hand correction" in page
    assert "kept detained; the list says in_transit" in page
    assert Change.objects.filter(kind="disagrees").count() == 1


def test_the_list_filters_and_reads_a_fixed_number_of_queries(
    client: Client, cast: Cast, source: Source, colony: object, django_assert_num_queries
) -> None:
    load(source, FIRST, ago=3)
    client.force_login(cast.organizer)
    url = reverse("registry:list")

    everyone = client.get(url).content.decode()
    sentenced_at_horki = client.get(url, {"q": "Прыкладны"}).content.decode()

    assert "20 people" in everyone
    assert "Yanka Prykladny" in sentenced_at_horki and "Ales Bialiatski" not in sentenced_at_horki
    with django_assert_num_queries(10) as few:
        client.get(url)
    for n in range(40):
        add_prisoner(source, colony, key=f"more-{n}")  # type: ignore[arg-type]
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_damaged_filters_in_the_link_are_left_out_not_a_server_error(
    client: Client, cast: Cast, source: Source
) -> None:
    load(source, FIRST, ago=3)
    client.force_login(cast.organizer)
    damaged = {"q": "a\x00b", "status": "nonsense", "facility": "99999999999999999999"}

    response = client.get(reverse("registry:list"), damaged)

    assert response.status_code == 200
    assert "20 people" in response.content.decode()
