from __future__ import annotations

import pytest

from letters.language import detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Дорогой Алесь! Желаю вам здоровья и сил, весна уже близко.", "ru"),
        ("Дарагі Алесь! Дзякуй за ваш ліст, у нас цёпла, сонца свеціць.", "be"),
        ("Дорогий Алесю! Бажаю вам здоров'я і сили, у Львові цвітуть каштани.", "uk"),
        ("Drogi Alesiu! Życzę zdrowia i siły, pozdrawiam serdecznie z Warszawy.", "pl"),
        ("Dear Ales, greetings from Helsinki. Thousands of us are writing to you.", "en"),
        ("Lieber Ales, herzliche Grüße aus Berlin. Wir denken jeden Tag an Sie.", "de"),
        ("アレシュさん、東京から千のランタンの光を送ります。", "ja"),
    ],
)
def test_the_language_of_a_letter_is_identified(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "   ", "ok", "qwrtz xkcd 12345"])
def test_no_language_is_claimed_for_text_without_one(text: str) -> None:
    assert detect_language(text) == ""
