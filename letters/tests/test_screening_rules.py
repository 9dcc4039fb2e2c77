"""The starting Belarus rulebook on real sentences, in each language Lantern screens.

Each language has sentences that must be flagged (and at which words) and everyday letters
that must pass untouched: a rule that flags everything is as useless as one that flags nothing.
"""

from __future__ import annotations

import pytest

from letters import screening
from letters.language import detect_language
from letters.models import Rulebook

pytestmark = pytest.mark.django_db


def findings(text: str, *, accepted: tuple[str, ...] = ("ru", "be"), kind: str = "letter",
             max_length: int | None = None) -> list[tuple[str, str]]:  # fmt: skip
    """(rule, the exact words) for every finding of the Belarus rulebook loaded by migrate."""
    rulebook = Rulebook.objects.get(name="Belarus", active=True)
    context = screening.Context(
        text=text,
        language=detect_language(text),
        kind=kind,
        accepted_languages=accepted,
        max_length_chars=max_length,
    )
    hits = screening.screen(context, [screening.RuleSource(rulebook.rules, rulebook.version)])
    for hit, version in hits:
        assert version == rulebook.version
        if hit.start is not None:
            assert text[hit.start : hit.end].startswith(hit.matched_text), "offsets: the words"
    return [(hit.rule, hit.matched_text) for hit, _ in hits]


def topics(text: str, **kwargs: object) -> list[tuple[str, str]]:
    return [f for f in findings(text, **kwargs) if f[0].startswith("banned_topic.")]  # type: ignore[arg-type]


FLAGGED = [
    # Russian: inflected forms match the dictionary forms in the list.
    (
        "Мы все помним о войне и ждём, когда отменят несправедливый приговор.",
        [("banned_topic.war", "войне"), ("banned_topic.criminal_case", "приговор")],
    ),
    (
        "Долой диктатуру! Все на забастовку.",
        [
            ("banned_topic.calls", "Долой"),
            ("banned_topic.politics", "диктатуру"),
            ("banned_topic.calls", "забастовку"),
        ],
    ),
    ("Следователь опять приходил?", [("banned_topic.criminal_case", "Следователь")]),
    # Belarusian (the suffix stripper): вайной, Лукашэнка, a two-word slogan.
    (
        "Дарагі Алесь! Усе стаміліся ад вайны, а Лукашэнка ўсё яшчэ тут. Жыве Беларусь!",
        [
            ("banned_topic.war", "вайны"),
            ("banned_topic.politics", "Лукашэнка"),
            ("banned_topic.politics", "Жыве Беларусь"),
        ],
    ),
    ("Мы чакаем вашай апеляцыі і новага прысуду.", [
        ("banned_topic.criminal_case", "апеляцыі"), ("banned_topic.criminal_case", "прысуду")]),
    # Ukrainian (the suffix stripper): війни, вирок, a call.
    (
        "Після війни ми зустрінемося. Ваш вирок несправедливий.",
        [("banned_topic.war", "війни"), ("banned_topic.criminal_case", "вирок")],
    ),
    ("Усі на страйк, повалення влади близько!", [
        ("banned_topic.calls", "страйк"), ("banned_topic.calls", "повалення")]),
    # Polish (Snowball): wojna, wyrok sądu, precz.
    (
        "Wojna na Ukrainie trwa, a wyrok sądu był niesprawiedliwy. Precz z dyktaturą!",
        [
            ("banned_topic.war", "Wojna"),
            ("banned_topic.criminal_case", "wyrok"),
            ("banned_topic.criminal_case", "sądu"),
            ("banned_topic.calls", "Precz"),
            ("banned_topic.politics", "dyktaturą"),
        ],
    ),
    # English (Snowball), with a two-word phrase.
    (
        "The protests against the regime go on, and your lawyer says the appeal failed.",
        [
            ("banned_topic.politics", "protests"),
            ("banned_topic.politics", "regime"),
            ("banned_topic.criminal_case", "lawyer"),
            ("banned_topic.criminal_case", "appeal"),
        ],
    ),
    ("We will take to the streets and boycott the elections.", [
        ("banned_topic.calls", "take to the streets"),
        ("banned_topic.calls", "boycott"),
        ("banned_topic.politics", "elections"),
    ]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), FLAGGED)
def test_banned_topics_are_flagged_at_their_words(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert topics(text) == expected


CLEAN = [
    "Дорогой Алесь! Желаю вам здоровья и сил, весна уже близко. Мы часто вспоминаем вас.",
    "Сегодня судьба подарила нам солнечный день; мы гуляли у реки и читали стихи.",
    "Дарагі Алесь! Дзякуй за ваш ліст. У нас цёпла, сонца свеціць. Беражыце сябе.",
    "Шаноўны спадар Алесь, вясна ў Менску прыгожая, і мы памятаем пра вас.",
    "Дорогий Алесю! Бажаю вам здоров'я і сили. У Львові вже цвітуть каштани.",
    "Drogi Alesiu! Życzę zdrowia i siły, pozdrawiam serdecznie z Warszawy. Warto czekać na wiosnę.",
    "Dear Ales, we think of you every day and hope the spring is warm where you are.",
    "My daughter drew a cat for you; she says it is wary of dogs and likes warm milk.",
]


@pytest.mark.parametrize("text", CLEAN)
def test_everyday_letters_pass_without_findings(text: str) -> None:
    blocking = [f for f in findings(text) if not f[0].startswith("language.")]
    assert blocking == []


def test_contact_data_is_flagged_with_its_kind() -> None:
    text = (
        "Дорогой друг, пишите мне по телефону +48 601 234 567, на почту ales@example.org, "
        "смотрите https://spring96.org, @spring_bot, или на адрес 220030, г. Минск, "
        "ул. Володарского, д. 2."
    )
    assert findings(text) == [
        ("contact_data.phone", "+48 601 234 567"),
        ("contact_data.email", "ales@example.org"),
        ("contact_data.link", "https://spring96.org"),
        ("contact_data.handle", "@spring_bot"),
        ("contact_data.address", "220030"),
        ("contact_data.address", "ул. Володарского, д. 2"),
    ]


def test_dates_years_and_ordinals_are_not_contact_data_or_code() -> None:
    text = "Мы встретились 7 декабря 2012 года, на 3-й день марафона, в 18:30."
    assert findings(text) == []


def test_codes_and_latin_words_in_a_cyrillic_letter_are_flagged() -> None:
    text = "Дорогой друг, посылаю тебе A7X9, число 40917 и слово hello."
    assert findings(text) == [
        ("code_words", "A7X9"),
        ("code_words", "40917"),
        ("foreign_script", "hello"),
    ]


def test_latin_words_are_not_foreign_in_a_letter_written_in_latin_script() -> None:
    text = "Dear Ales, hello from all of us in Kraków! We hope you are keeping well."
    assert findings(text, accepted=("en",)) == []


def test_slang_is_flagged() -> None:
    assert topics("Передай малява через шконку, лол") == [
        ("banned_topic.slang", "малява"),
        ("banned_topic.slang", "шконку"),
        ("banned_topic.slang", "лол"),
    ]


def test_a_letter_in_a_language_the_prison_does_not_read_needs_translation() -> None:
    assert findings("Dear Ales, we think of you every day.") == [("language.not_accepted", "")]
    assert findings("Dear Ales, we think of you every day.", accepted=("en", "ru")) == []


def test_text_past_the_limit_is_marked_from_the_limit_on() -> None:
    text = "Дорогой Алесь! " + "Желаю здоровья. " * 50
    rule = {"kind": "length", "max_chars": 6000}
    context = screening.Context(text=text, language="ru", max_length_chars=100)
    ((hit, _),) = screening.screen(context, [screening.RuleSource([rule])])
    assert (hit.rule, hit.start, hit.end) == ("length", 100, len(text))


def test_postcards_have_their_own_limit() -> None:
    text = "Дорогой Алесь! " + "Желаю здоровья. " * 50
    assert [r for r, _ in findings(text, kind="postcard")] == ["length"]
    assert findings(text, kind="letter") == []


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"kind": "x"}, "must be a list"),
        ([{"kind": "nope"}], "unknown kind 'nope'"),
        ([{"kind": "banned_words", "code": "war", "words": {"de": ["Krieg"]}}], "no stemmer"),
        ([{"kind": "banned_words", "words": {"ru": ["война"]}}], "needs a 'code'"),
        ([{"kind": "length", "max_chars": -1}], "positive whole number"),
        ([{"kind": "contact_data", "severity": "fatal"}], "severity must be one of"),
    ],
)
def test_bad_rules_are_refused_with_a_readable_reason(rules: object, message: str) -> None:
    with pytest.raises(screening.InvalidRule, match=message):
        screening.validate_rules(rules)


def test_both_starting_rulebooks_are_valid() -> None:
    for name in ("Belarus", "Russia"):
        screening.validate_rules(Rulebook.objects.get(name=name, active=True).rules)
