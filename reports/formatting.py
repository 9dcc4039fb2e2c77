"""Locale-aware numbers, dates and country names for results (Babel's CLDR data)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.numbers import format_decimal

from lantern.countries import country_name


@cache
def babel_locale(language: str) -> Locale:
    """The Babel locale for a BCP 47 / Django language code; English if Babel has none."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def number(value: int, language: str) -> str:
    return format_decimal(value, locale=babel_locale(language))


def country(code: str, language: str) -> str:
    return str(babel_locale(language).territories.get(code) or country_name(code))


# The alphabets of the shipped languages whose order code points do not follow (і before о in
# Ukrainian, ł after l in Polish). Other languages sort by their letters without accents.
ALPHABETS = {
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "pl": "aąbcćdeęfghijklłmnńoóprsśtuwyzźż",
}


def sort_key(name: str, language: str) -> list[tuple[int, int]]:
    alphabet = ALPHABETS.get(language.split("-")[0])
    text = name.casefold()
    if alphabet is None:
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return [(1, ord(ch)) for ch in text]
    return [(0, alphabet.index(ch)) if ch in alphabet else (1, ord(ch)) for ch in text]


def countries_sorted(codes: list[str], language: str) -> list[str]:
    """Country names in the language, in its alphabetical order."""
    return sorted(
        (country(code, language) for code in codes), key=lambda name: sort_key(name, language)
    )


def names_list(names: list[str], language: str) -> str:
    """ "Austria, Belgium and the UK" in the language's own way of listing."""
    return format_list(names, locale=babel_locale(language)) if names else ""


def day(value: date | str, language: str) -> str:
    when = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(when, format="long", locale=babel_locale(language))


def short_day(value: date | str, language: str) -> str:
    when = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(when, format="medium", locale=babel_locale(language))


def moment(value: datetime, language: str) -> str:
    """A date and short time in UTC joined the locale's way: "December 10, 2012, 8:00 AM UTC"."""
    locale = babel_locale(language)
    moment_utc = value.astimezone(UTC)
    pattern = str(locale.datetime_formats["long"])  # CLDR "{1}, {0}": date, time
    joined = pattern.replace("{1}", format_date(moment_utc, "long", locale=locale)).replace(
        "{0}", format_time(moment_utc, "short", tzinfo=UTC, locale=locale)
    )
    return f"{joined} UTC"


def language_name(language: str) -> str:
    """The language's own name for itself: "polski", "беларуская"."""
    return str(babel_locale(language).get_display_name(babel_locale(language)) or language)
