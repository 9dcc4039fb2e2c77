"""Stemming, as screening uses it: the same stems however many threads screen at once."""

from __future__ import annotations

import threading

from letters.screening.stemming import stem

WORDS = {
    "ru": ["войне", "войной", "приговора", "мобилизации", "каштаны", "здоровья", "обнимаем"],
    "pl": ["wojnie", "wyrokiem", "kasztany", "zdrowia", "ściskamy"],
    "en": ["wars", "sentenced", "mobilization", "chestnuts"],
    "be": ["вайной", "мабілізацыі", "прысуду"],
    "uk": ["війною", "мобілізації", "вироку"],
}


def test_threads_screening_at_once_get_the_same_stems_as_one() -> None:
    """The server screens letters in several threads: a stemmer shared between them mixed
    up their words (and failed with IndexError) before each thread got its own."""
    expected = {(lang, w): stem(w, lang) for lang, words in WORDS.items() for w in words}
    start = threading.Barrier(8)
    wrong: list[object] = []

    def screen_many() -> None:
        try:
            start.wait(timeout=10)
            for _ in range(300):
                for (lang, word), want in expected.items():
                    got = stem(word, lang)
                    if got != want:
                        wrong.append((word, got, want))
        except Exception as exc:  # noqa: BLE001 - reported to the test thread below
            wrong.append(exc)

    threads = [threading.Thread(target=screen_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert wrong == []
