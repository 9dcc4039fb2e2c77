"""Properties of country names (hypothesis): what partners' files and the API call a country."""

from __future__ import annotations

import pycountry
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from lantern.countries import country_name, country_names, resolve_country

COUNTRIES = list(pycountry.countries)


@given(st.text(max_size=60) | st.sampled_from(["Korea, Republic of", ",", " , the", "the"]))
@example("Congo, The Democratic Republic of the")
def test_a_name_resolves_to_a_code_that_resolves_to_itself(text: str) -> None:
    code = resolve_country(text)
    if code is None:
        return
    assert code in country_names()
    assert resolve_country(code) == code
    assert resolve_country(code.lower()) == code


@given(st.sampled_from(COUNTRIES))
def test_every_alpha_3_code_and_official_name_resolves(country: object) -> None:
    alpha_2 = country.alpha_2  # type: ignore[attr-defined]
    assert resolve_country(country.alpha_3) == alpha_2  # type: ignore[attr-defined]
    official = getattr(country, "official_name", None)
    if official:
        assert resolve_country(official) == alpha_2


@given(st.sampled_from(sorted(country_names())), st.sampled_from(["en", "be", "ru", "pl", "uk"]))
def test_every_code_has_a_name_in_every_language(code: str, language: str) -> None:
    with translation.override(language):
        assert country_name(code).strip()
