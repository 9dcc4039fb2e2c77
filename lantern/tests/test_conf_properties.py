"""Properties of the settings readers (hypothesis): any value an operator can put in the
environment is read or refused with ImproperlyConfigured, never anything else."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import example, given
from hypothesis import strategies as st

from lantern.conf import env_bool, env_int, env_list

# What an environment variable can hold: text without NUL or lone surrogates.
VALUES = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))
NAME = "LANTERN_PROPERTY_TEST"


def _set(value: str) -> None:
    os.environ[NAME] = value


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    yield
    os.environ.pop(NAME, None)


@given(VALUES | st.integers().map(str))
@example("9" * 5000)  # more digits than int() reads
@example(" 12 ")
@example("١٢")  # Arabic-Indic digits
def test_an_integer_setting_is_a_whole_number_at_least_its_minimum_or_refused(value: str) -> None:
    _set(value)
    try:
        number = env_int(NAME, 7, minimum=1)
    except ImproperlyConfigured as exc:
        assert NAME in str(exc)
        return
    assert isinstance(number, int) and (number >= 1 or not value.strip())


@given(VALUES | st.sampled_from(["1", "0", "true", "FALSE", "yes", "no", "on", "off", ""]))
def test_a_boolean_setting_is_true_false_or_refused(value: str) -> None:
    _set(value)
    try:
        assert env_bool(NAME, True) in (True, False)
    except ImproperlyConfigured as exc:
        assert NAME in str(exc)


@given(VALUES)
def test_a_list_setting_has_no_empty_or_padded_items(value: str) -> None:
    _set(value)
    items = env_list(NAME, [])
    assert all(item and item == item.strip() for item in items)
