"""Translations: which letters need one, attaching one, and the machine-translation interface."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured

from campaigns.models import Campaign
from cases.models import Case
from conftest import Cast
from letters import translation
from letters.models import Letter
from letters.services import (
    LetterStateError,
    add_translation,
    approve_letter,
    is_ready_for_mail,
    letters_to_translate,
)
from letters.tests.conftest import CLEAN_PL, CLEAN_RU, write

pytestmark = pytest.mark.django_db


class FakeTranslator:
    """Stands in for an outside machine-translation service (none can run here)."""

    name = "fake-mt"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def translate(self, text: str, source: str, target: str) -> str:
        self.calls.append((text, source, target))
        return f"[{source}→{target}] {text}"


@pytest.fixture
def fake_backend(settings: object) -> Iterator[FakeTranslator]:
    backend = FakeTranslator()
    translation.register_backend("fake", lambda: backend)
    settings.LETTERS_MT_BACKEND = "fake"  # type: ignore[attr-defined]
    yield backend
    translation.unregister_backend("fake")


def approved(campaign: Campaign, case: Case, text: str, cast: Cast) -> Letter:
    letter = write(campaign, case, text)
    approve_letter(letter, cast.moderator)
    return letter


def test_only_letters_in_a_language_the_prison_does_not_read_wait_for_translation(
    campaign: Campaign, prisoner: Case, cast: Cast
) -> None:
    polish = approved(campaign, prisoner, CLEAN_PL, cast)
    russian = approved(campaign, prisoner, CLEAN_RU, cast)
    write(campaign, prisoner, CLEAN_PL)  # not approved yet

    assert [letter.pk for letter, _ in letters_to_translate()] == [polish.pk]
    assert is_ready_for_mail(russian)
    assert not is_ready_for_mail(polish)


def test_a_translation_travels_with_the_letter(
    campaign: Campaign, prisoner: Case, cast: Cast, translator: object
) -> None:
    letter = approved(campaign, prisoner, CLEAN_PL, cast)
    made = add_translation(letter, "ru", "Дорогой Алесь! ...", translator=translator)  # type: ignore[arg-type]

    assert letter.status == Letter.Status.TRANSLATED
    assert list(letter.translations.all()) == [made]
    assert is_ready_for_mail(letter)
    assert letters_to_translate() == []
    with pytest.raises(LetterStateError):
        add_translation(letter, "be", "Дарагі Алесь! ...")


def test_a_translation_must_be_into_a_language_the_prison_reads(
    campaign: Campaign, prisoner: Case, cast: Cast
) -> None:
    letter = approved(campaign, prisoner, CLEAN_PL, cast)
    with pytest.raises(ValueError, match="does not accept 'de'"):
        add_translation(letter, "de", "Lieber Ales")
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.APPROVED


def test_without_a_backend_there_is_no_machine_draft() -> None:
    assert translation.machine_draft("Drogi Alesiu", "pl", "ru") is None


def test_a_backend_plugs_in_through_the_registry(fake_backend: FakeTranslator) -> None:
    draft = translation.machine_draft("Drogi Alesiu", "pl", "ru")
    assert draft == translation.Draft("[pl→ru] Drogi Alesiu", "fake-mt")
    assert fake_backend.calls == [("Drogi Alesiu", "pl", "ru")]


def test_an_unknown_backend_name_fails_loudly(settings: object) -> None:
    settings.LETTERS_MT_BACKEND = "nowhere"  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="nowhere"):
        translation.get_backend()
