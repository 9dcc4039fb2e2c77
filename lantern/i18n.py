"""Locale-aware formatting with Babel (CLDR), for what Django lacks or gets wrong for a
language: grouped numbers and country names in the page's language."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from django.conf import settings
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def _locale_code() -> str:
    return (get_language() or "en").replace("-", "_")


@cache
def _locale(code: str) -> Locale:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def supported_language(language: str | None = None) -> str:
    """`language` (by default the active one) if Lantern ships it, else the site's default."""
    code = (language or get_language() or "").split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# Alphabetical order where the code-point order is wrong (і, ў, ґ, є, ї, ą, ł ...).
ALPHABETS = {
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "pl": "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż",
}


def sort_key(text: str, language: str) -> tuple[int, ...]:
    """A key that sorts names as the language's alphabet does (letters outside it last)."""
    alphabet = ALPHABETS.get(language, "")
    return tuple(
        alphabet.index(ch) if ch in alphabet else len(alphabet) + ord(ch) for ch in text.lower()
    )


def format_number(value: int | float) -> str:
    """104731 -> "104,731" (en), "104 731" (be, ru, uk, pl; a no-break space)."""
    return format_decimal(value, locale=_locale(_locale_code()))


def territory_name(code: str) -> str | None:
    """The country's name in the active language, or None when CLDR has none."""
    name = _locale(_locale_code()).territories.get(code)
    return str(name) if name else None


# Django's Belarusian catalog writes month names in the classical spelling ("сьнежня") and its
# nominative months in the genitive; Lantern's pages use the official spelling. These
# msgids (Django's own, with its contexts) are re-translated in lantern/locale, which
# LOCALE_PATHS puts before Django's catalogs. Never called; listed for makemessages.
_DJANGO_MONTHS = (
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
