from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from cases.models import Case
from conftest import Cast
from letters import translation
from letters.models import Letter
from letters.services import approve_letter
from letters.tests.conftest import CLEAN_PL, CLEAN_RU, write

pytestmark = pytest.mark.django_db

ENGLISH = "Dear Ales, we think of you every day and hope the spring is warm where you are."


@pytest.fixture
def polish(campaign: Campaign, prisoner: Case, cast: Cast) -> Letter:
    letter = write(campaign, prisoner, CLEAN_PL)
    approve_letter(letter, cast.moderator)
    return letter


def url(name: str, letter: Letter | None = None) -> str:
    return reverse(f"letters:{name}", args=[letter.pk] if letter else [])


def test_letters_are_grouped_by_language_pair(
    client: Client, cast: Cast, campaign: Campaign, prisoner: Case, polish: Letter,
    translator: User, django_assert_max_num_queries: object,
) -> None:  # fmt: skip
    english = write(campaign, prisoner, ENGLISH)
    approve_letter(english, cast.moderator)
    russian = write(campaign, prisoner, CLEAN_RU)
    approve_letter(russian, cast.moderator)
    client.force_login(translator)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        page = client.get(url("translate")).content.decode()
    assert "From en into ru, be" in page and "From pl into ru, be" in page
    assert (
        page.index("From en") < page.index(url("translate_letter", english)) < page.index("From pl")
    )
    assert page.index("From pl") < page.index(url("translate_letter", polish))
    assert url("translate_letter", russian) not in page


def test_a_translator_attaches_a_translation(
    client: Client, polish: Letter, translator: User
) -> None:
    client.force_login(translator)
    page = client.get(url("translate_letter", polish)).content.decode()
    assert CLEAN_PL in page
    response = client.post(
        url("translate_letter", polish), {"language": "ru", "text": "Дорогой Алесь!"}
    )
    assert response.status_code == 302
    polish.refresh_from_db()
    assert polish.status == Letter.Status.TRANSLATED
    made = polish.translations.get()
    assert (made.language, made.text, made.translator, made.machine_backend) == (
        "ru",
        "Дорогой Алесь!",
        translator,
        "",
    )


def test_a_language_the_prison_does_not_read_is_refused(
    client: Client, polish: Letter, translator: User
) -> None:
    client.force_login(translator)
    response = client.post(
        url("translate_letter", polish), {"language": "de", "text": "Lieber Ales"}
    )
    assert response.status_code == 400
    assert Letter.objects.get(pk=polish.pk).status == Letter.Status.APPROVED


class EchoTranslator:
    name = "echo-mt"

    def translate(self, text: str, source: str, target: str) -> str:
        return f"({target}) {text}"


@pytest.fixture
def echo_backend(settings: object) -> Iterator[None]:
    translation.register_backend("echo", EchoTranslator)
    settings.LETTERS_MT_BACKEND = "echo"  # type: ignore[attr-defined]
    yield
    translation.unregister_backend("echo")


def test_a_machine_draft_kept_as_is_records_the_backend(
    client: Client, polish: Letter, translator: User, echo_backend: None
) -> None:
    client.force_login(translator)
    page = client.get(url("translate_letter", polish)).content.decode()
    draft = f"(ru) {CLEAN_PL}"
    assert "A machine draft by echo-mt" in page and draft in page
    data = {"language": "ru", "text": draft, "machine_draft": draft, "machine_backend": "echo-mt"}
    client.post(url("translate_letter", polish), data)
    assert polish.translations.get().machine_backend == "echo-mt"


@pytest.mark.parametrize("user", ["reporter", "moderator", "outsider"])
def test_other_roles_are_forbidden(client: Client, cast: Cast, polish: Letter, user: str) -> None:
    client.force_login(getattr(cast, user))
    assert client.get(url("translate")).status_code == 403
    assert client.get(url("translate_letter", polish)).status_code == 403
    assert (
        client.post(url("translate_letter", polish), {"language": "ru", "text": "x"}).status_code
        == 403
    )
    assert not polish.translations.exists()


def test_organizers_may_translate(client: Client, cast: Cast, polish: Letter) -> None:
    client.force_login(cast.organizer)
    assert url("translate_letter", polish) in client.get(url("translate")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client: Client, polish: Letter) -> None:
    assert client.get(url("translate")).status_code == 302
    assert (
        client.post(url("translate_letter", polish), {"language": "ru", "text": "x"}).status_code
        == 302
    )
    assert not polish.translations.exists()


def test_wrong_methods_are_not_allowed(client: Client, polish: Letter, translator: User) -> None:
    client.force_login(translator)
    assert client.post(url("translate")).status_code == 405
    assert client.put(url("translate_letter", polish)).status_code == 405
