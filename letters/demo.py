"""The letters part of the demo (called from lantern/demo.py), from seed 003.

Ales Bialiatski wrote from "the penal colony in Babruysk": the colony's mail rules and
guidance for writers, his address period there in Cyrillic (unless the mail desk's demo made
it already), a few ready texts, and marathon
letters in several languages at each step before the mail desk: waiting for a moderator,
flagged by screening, approved and waiting for a translator, translated, and rejected.

The letters are not counted in the ledger again: the demo marathon's totals already include
every letter (they come from the seed article's figures).
"""

from __future__ import annotations

from datetime import date

from campaigns.models import Campaign
from cases.models import AddressPeriod, Case, Facility
from letters.language import detect_language
from letters.models import Letter, LetterTemplate
from letters.services import (
    add_translation,
    approve_letter,
    reject_letter,
    screen_letter,
)

FACILITY_NAME = "Penal colony No. 2, Babruysk"
ADDRESS_LINES = ["Исправительная колония № 2", "ул. Камышовая, 2", "213800 г. Бобруйск", "БЕЛАРУСЬ"]
RECIPIENT_LINE = "Бяляцкі Алесь Віктаравіч, 1962 г.н."
GUIDANCE = (
    "Letters are read by the colony's censor and reach Ales only if they pass. Write about "
    "everyday things: your town, the season, books, music, your family, the letters you "
    "have read from him. Do not write about the war, politics or his criminal case, do not "
    "call for protests, and leave out phone numbers, links and addresses.\n\n"
    "Russian and Belarusian pass most easily; write in your own language if you prefer, "
    "and a volunteer will translate your letter. Keep it to a page or two."
)
TEMPLATES = [
    (
        "ru",
        "Весенний привет",
        "Дорогой Алесь! Пишу Вам, чтобы сказать: мы о Вас помним. У нас весна, "
        "распускаются каштаны, и я часто думаю о Вас. Желаю здоровья и сил.",
    ),
    (
        "be",
        "Прывітанне з дому",
        "Дарагі Алесь! Мы памятаем пра Вас і чакаем дома. Усё добра, вясна ўжо блізка. "
        "Жадаю моцы і здароўя.",
    ),
    (
        "en",
        "Greetings from afar",
        "Dear Ales, I am writing from far away to tell you that you are not forgotten. "
        "Here it is spring; I think of you often and wish you strength and good health.",
    ),
    (
        "pl",
        "Pozdrowienia z Polski",
        "Drogi Alesiu! Piszę, żeby powiedzieć, że o Tobie pamiętamy. U nas wiosna, "
        "kwitną kasztany. Życzę zdrowia i siły.",
    ),
]
# (language as written, author, country, text, what happens to it)
LETTERS = [
    (
        "Ольга",
        "RU",
        "Дорогой Алесь! Сегодня в Москве выпал первый снег, и я вспомнила Ваши письма о "
        "саде. Желаю Вам здоровья и сил.",
        "submitted",
    ),
    (
        "Алена",
        "BY",
        "Дарагі Алесь! Усе стаміліся ад вайны, але мы чакаем Вас дома.",
        "needs_review",
    ),
    (
        "Zofia",
        "PL",
        "Drogi Alesiu! Pozdrowienia z Warszawy, gdzie w grudniu zebrało się tysiące ludzi, "
        "żeby do Ciebie napisać. Życzę zdrowia i siły.",
        "approved",
    ),
    (
        "Emma",
        "FI",
        "Dear Ales, greetings from Helsinki. My daughter drew a lantern for you; we hope the "
        "spring is warm where you are.",
        "translated",
    ),
    (
        "Tom",
        "GB",
        "Dear Ales, the protests go on and everyone is waiting for the regime to fall. Write "
        "to me at tom@example.org or call +44 20 7946 0000.",
        "rejected",
    ),
]
TRANSLATION_RU = (
    "Дорогой Алесь, привет из Хельсинки. Моя дочь нарисовала для Вас фонарик; надеемся, что "
    "у Вас тепло и весна."
)
REJECTION = (
    "Your letter speaks of protests and of the regime and gives your e-mail address and phone "
    "number: the colony's censor would stop it, and it could bring Ales trouble."
)


def load_demo_letters(case: Case, campaign: Campaign) -> None:
    """Run inside load_demo's transaction, after the mail desk's demo has posted its batch
    (so that these letters stay at the steps they show)."""
    facility = _babruysk(case)
    for language, title, text in TEMPLATES:
        LetterTemplate.objects.create(facility=facility, language=language, title=title, text=text)
    for author, country, text, state in LETTERS:
        letter = Letter.objects.create(
            campaign=campaign,
            case=case,
            kind=Letter.Kind.LETTER,
            text=text,
            language=detect_language(text),
            author_name=author,
            author_country=country,
        )
        screen_letter(letter)
        if state in ("approved", "translated"):
            approve_letter(letter, None)
        if state == "translated":
            add_translation(letter, "ru", TRANSLATION_RU, machine_backend="")
        if state == "rejected":
            reject_letter(letter, REJECTION, None)


def _babruysk(case: Case) -> Facility:
    facility, _ = Facility.objects.update_or_create(
        name=FACILITY_NAME,
        defaults={
            "country": "BY",
            "kind": Facility.Kind.PENAL_COLONY,
            "accepted_languages": ["be", "ru"],
            "postcards_allowed": True,
            "enclosures_allowed": False,
            "max_length_chars": 3000,
            "writer_guidance": GUIDANCE,
        },
    )
    if not AddressPeriod.objects.filter(case=case, facility=facility).exists():
        AddressPeriod.objects.create(
            case=case,
            facility=facility,
            valid_from=date(2012, 1, 24),
            address_lines="\n".join(ADDRESS_LINES),
            recipient_line=RECIPIENT_LINE,
        )
    return facility
