"""Properties of screening with rulebooks as data (hypothesis).

Any JSON an organizer can save as a rulebook is refused with InvalidRule or accepted; rules
accepted screen any text without failing, and every finding points at words of that text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from letters import screening
from letters.screening.base import SEVERITIES, checks
from letters.screening.stemming import LANGUAGES, WORD, languages_for_word, normalize, stem

RULEBOOKS = Path(screening.__file__).resolve().parent / "rulebooks"
STARTING_RULES = [
    rule
    for name in ("by.json", "ru.json")
    for rule in json.loads((RULEBOOKS / name).read_text(encoding="utf-8"))["rules"]
]
KEYS = [
    "kind", "severity", "message", "code", "allow", "find", "languages", "unknown_severity",
    "max_chars", "postcard_max_chars", "words",
]  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
# Rule-shaped values, so that the checks' own validation is reached, not only the registry's.
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.sampled_from([*checks(), "nope"]) | JSON,
    "severity": st.sampled_from([*SEVERITIES, "fatal", ""]) | JSON,
    "unknown_severity": st.sampled_from(SEVERITIES) | JSON,
    "find": st.lists(st.sampled_from(["phone", "link", "email", "address", "handle", "x"])) | JSON,
    "languages": st.lists(st.sampled_from(["ru", "be", "pl", "de", ""])) | JSON,
    "allow": st.lists(st.text(max_size=10)) | JSON,
    "max_chars": st.integers(min_value=-5, max_value=500) | JSON,
    "postcard_max_chars": st.integers(min_value=-5, max_value=500) | JSON,
    "words": st.dictionaries(
        st.sampled_from([*LANGUAGES, "de"]), st.lists(st.text(max_size=15), max_size=4) | JSON
    )
    | JSON,
}
RULE = st.fixed_dictionaries({}, optional={key: VALUES.get(key, JSON) for key in KEYS})
RULES = st.lists(RULE, max_size=4) | st.lists(st.sampled_from(STARTING_RULES), max_size=6) | JSON
TEXT = st.text(max_size=400) | st.sampled_from(
    [
        "Дорогой Алесь! Мы все помним о войне. Звоните +375 29 123-45-67, www.spring96.org",
        "İstanbul'dan SELAM: ul. Marszałkowska 10, 00-001 Warszawa, x5z A7 @handle_here",
    ]
)
WAR = [{"kind": "banned_words", "code": "war", "words": {"ru": ["война"]}}]
LANGUAGE = st.sampled_from(["", "ru", "be", "uk", "pl", "en", "de"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RULES, TEXT, LANGUAGE, st.sampled_from(["letter", "postcard"]), st.integers(0, 300))
@example([{"kind": "contact_data", "find": 5}], "x", "ru", "letter", 0)
@example([{"kind": "contact_data", "find": [["phone"]]}], "x", "ru", "letter", 0)
@example([{"kind": "length", "max_chars": True}], "xy", "ru", "letter", 0)
@example(
    [{"kind": "banned_words", "code": "war", "words": {"ru": ["война"]}}],
    "İİ войне",
    "ru",
    "letter",
    0,
)
def test_rules_are_refused_or_screen_any_text_pointing_at_its_words(
    rules: Any, text: str, language: str, kind: str, max_length: int
) -> None:
    try:
        screening.validate_rules(rules)
    except screening.InvalidRule as exc:
        assert str(exc), "a refusal says what to fix"
        return
    json.dumps(rules)  # what a rulebook stores
    context = screening.Context(
        text=text,
        language=language,
        kind=kind,
        accepted_languages=("ru", "be"),
        max_length_chars=max_length or None,
    )
    for hit, version in screening.screen(context, [screening.RuleSource(rules, 3)]):
        assert version == 3
        assert hit.severity in SEVERITIES
        assert hit.rule and hit.message
        if hit.start is not None:
            assert hit.end is not None and 0 <= hit.start <= hit.end <= len(text)
            assert text[hit.start : hit.end].startswith(hit.matched_text), "the words found"


@given(st.text())
@example("İstanbul")  # lower() makes two characters of İ
@example("ẞ ǅ ﬁ")
def test_normalizing_keeps_every_offset_and_is_idempotent(text: str) -> None:
    normal = normalize(text)
    assert len(normal) == len(text)
    assert normalize(normal) == normal


@given(st.text(max_size=40))
def test_every_word_stems_in_each_language_of_its_script(text: str) -> None:
    for word in WORD.findall(normalize(text)):
        for language in languages_for_word(word):
            stemmed = stem(word, language)
            assert isinstance(stemmed, str)
            assert stem(word, language) == stemmed


def test_rules_holding_a_nul_character_are_refused() -> None:
    """PostgreSQL's JSON cannot store one: the admin failed with a 500 before."""
    with pytest.raises(screening.InvalidRule, match="NUL"):
        screening.validate_rules([{"kind": "code_words", "allow": ["a\x00b"]}])
