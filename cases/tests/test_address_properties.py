"""Properties of what parses a prison's data (hypothesis): the address lines printed in the
envelope window, and the languages a facility's censor reads."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from cases.models import AddressPeriod, Facility

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)
CODES = st.lists(st.sampled_from(["ru", "be", "uk", "pl", "en", "RU", "r", "rus", "", " ru"]))


@given(st.text())
@example("вул. Сікорскага, 1\r\n\r\n  213800, г. Бабруйск \u2028ИК-2\x0c")
def test_address_lines_are_trimmed_lines_that_read_back_the_same(text: str) -> None:
    lines = AddressPeriod(address_lines=text).lines
    for line in lines:
        assert line and line == line.strip()
        assert line.splitlines() == [line], "one printed line each"
    assert AddressPeriod(address_lines="\n".join(lines)).lines == lines


@given(JSON | CODES)
@example("ru")  # a string is not a list: "r" and "u" would be accepted
@example(["ru", 5])
def test_accepted_languages_are_a_list_of_codes_or_refused(value: Any) -> None:
    facility = Facility(name="Penal colony No. 2", country="BY", accepted_languages=value)
    try:
        facility.full_clean()
    except ValidationError as exc:
        assert set(exc.error_dict) == {"accepted_languages"}
        return
    json.dumps(facility.accepted_languages)
    codes = facility.accepted_languages or []
    for code in ["ru", "be", "de", "r"]:
        assert facility.accepts_language(code) == (not codes or code in codes)
