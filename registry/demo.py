"""The registry's part of the demo (called from lantern/demo.py), after seed 003.

Viasna's list (the two sample files in registry/samples/, four weeks apart: only Ales
Bialiatski is a real person), imported as a first list and a refresh, with an organizer's
hand correction in between that the refresh keeps; a few safety profiles; and the seed's
New Year greetings "to him and all political prisoners", posted by 21 December: a card drive
whose first cards the fair spread has already assigned, some approved for the mail desk.

Dates are relative to today, so that the drive is open whenever the demo is loaded.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

from django.utils import timezone

from actions.types import ActionType
from campaigns.models import Campaign
from cases.models import Case
from letters.models import Letter
from letters.services import LetterInput, approve_letter
from registry.models import Drive, Prisoner, Source
from registry.refresh import values_now
from registry.services import correct_prisoner, import_registry, send_card, start_drive

SAMPLES = Path(__file__).resolve().parent / "samples"
FIRST, SECOND = SAMPLES / "viasna-sample-1.csv", SAMPLES / "viasna-sample-2.json"
DRIVE_SLUG = "new-year-greetings"
GREETINGS = [
    ("Anna Lindqvist", "SE", "Дорогой друг! С Новым годом! Желаем здоровья, сил и тепла."),
    ("Zofia Łukasiewicz", "PL", "Szczęśliwego Nowego Roku! Myślimy o Tobie, trzymaj się."),
    ("Алена Кавалёва", "BY", "З Новым годам і Калядамі! Хай сонца загляне ў Ваша акно."),
    ("Emma Virtanen", "FI", "Happy New Year! We think of you and wish you good health."),
    ("Jan Novák", "CZ", "Šťastný nový rok! Přejeme hodně zdraví a naděje."),
    ("Olena Kovalenko", "UA", "З Новим роком! Бажаємо здоров'я, надії та світла."),
    ("Lukas Huber", "AT", "Alles Gute zum neuen Jahr! Wir denken an Sie."),
    ("Дмитрий Смирнов", "RU", "С Новым годом! Вы не одни, мы помним о Вас."),
]


def next_posting_day(today: date) -> date:
    """The coming 21 December, while there is still a week to write."""
    day = date(today.year, 12, 21)
    return day if day - timedelta(days=7) >= today else date(today.year + 1, 12, 21)


def load_demo_registry() -> Drive:
    """Run inside load_demo's transaction, after the marathon's case and its colony exist."""
    now = timezone.now()
    source = Source.objects.create(
        slug="viasna",
        name="Political prisoners in Belarus (sample)",
        publisher="Human Rights Center Viasna",
        url="https://prisoners.spring96.org/en",
        country="BY",
        language="be",
    )
    _import(source, FIRST, now - timedelta(days=35))
    _safety_profiles()
    yanka = Prisoner.objects.get(source=source, key="viasna-0002")
    values = values_now(yanka)
    correct_prisoner(
        yanka,
        {**values, "birth_year": 1986},
        user=None,
        note="His family says he was born in 1986.",
    )
    _import(source, SECOND, now - timedelta(days=5))
    return _drive()


def _import(source: Source, path: Path, retrieved_at: datetime) -> None:
    result = import_registry(
        path.read_bytes(), source=source, filename=path.name, retrieved_at=retrieved_at
    )
    assert result.ok, result.errors  # noqa: S101 - the sample is part of the code


SAFETY = [
    ("viasna-0014", "letters_from_abroad_risky", True),
    ("viasna-0016", "named_correspondents_only", True),
    ("viasna-0018", "max_letters_per_batch", 2),
    ("viasna-0017", "may_be_published", False),
]


def _safety_profiles() -> None:
    for key, field, value in SAFETY:
        case = Prisoner.objects.select_related("case").get(key=key).case
        setattr(case, field, value)
        case.save(update_fields=[field])


def _drive() -> Drive:
    today = timezone.localdate()
    post_by = next_posting_day(today)
    campaign = Campaign.objects.create(
        slug=f"new-year-greetings-{post_by.year}",
        title=f"New Year greetings {post_by.year}",
        slogan="To all political prisoners",
        summary=(
            "Every year on 21 December we post New Year and Christmas greetings to every "
            "political prisoner on the rights groups' lists, so that no one is forgotten."
        ),
        starts_on=today - timedelta(days=3),
        ends_on=post_by,
        status=Campaign.Status.LIVE,
        action_types=[ActionType.CARD.value],
        languages=["en", "be", "ru", "pl", "uk"],
    )
    campaign.cases.add(Case.objects.get(slug="ales-bialiatski"))
    drive = start_drive(
        Drive(
            slug=DRIVE_SLUG,
            title="New Year greetings, posted by 21 December",
            invitation=(
                "Wish a political prisoner a good health, optimism, happiness and faith in a "
                'better future: that soon "the sun will peep in the window". Keep it short '
                "and warm; leave out politics and the criminal case."
            ),
            campaign=campaign,
            post_by=post_by,
        ),
        user=None,
    )
    rng = random.Random(2112)  # noqa: S311 - reproducible demo data
    for n, (author, country, text) in enumerate(GREETINGS):
        card = send_card(
            drive,
            LetterInput(
                kind=Letter.Kind.POSTCARD, text=text, author_name=author, author_country=country
            ),
            rng=rng,
        )
        if n % 2 == 0 and card.status == Letter.Status.SUBMITTED:
            approve_letter(card, None)
    return drive
