"""The letters part of the demo, on its own (lantern/tests/test_load_demo.py loads it all)."""

from __future__ import annotations

import pytest

from lantern.testing import make_campaign, make_case
from letters.demo import load_demo_letters
from letters.models import Letter
from letters.services import letters_to_translate

pytestmark = pytest.mark.django_db


def test_the_demo_has_letters_at_each_step_to_the_babruysk_colony() -> None:
    case = make_case(slug="ales-bialiatski", name="Ales Bialiatski")
    load_demo_letters(case, make_campaign(cases=[case]))

    address = case.current_address()
    assert address is not None
    assert address.facility.name == "Penal colony No. 2, Babruysk"
    assert address.recipient_line == "Бяляцкі Алесь Віктаравіч, 1962 г.н."
    assert "213800 г. Бобруйск" in address.lines
    assert address.facility.templates.count() == 4

    def state(author: str) -> str:
        return Letter.objects.get(author_name=author).status

    assert [state(a) for a in ("Ольга", "Алена", "Zofia", "Emma", "Tom")] == [
        "submitted",
        "needs_review",
        "approved",
        "translated",
        "rejected",
    ]
    flagged = Letter.objects.get(author_name="Алена")
    assert list(flagged.findings.values_list("matched_text", flat=True)) == ["вайны"]
    assert [letter.author_name for letter, _ in letters_to_translate()] == ["Zofia"]
    assert Letter.objects.get(author_name="Emma").translations.get().language == "ru"
