"""Countries: ISO 3166 alpha-2 codes, their English names, and what people call them.

`resolve_country("the Czech Republic")` gives "CZ". The index is built once from pycountry
(codes, names, official and common names) plus the everyday names in `ALIASES`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import pycountry
from django.utils.translation import get_language

from lantern.i18n import sort_key, supported_language, territory_name

# Everyday English names that pycountry does not carry, and old or informal ones.
ALIASES: dict[str, str] = {
    "uk": "GB",
    "u.k.": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "us": "US",
    "u.s.": "US",
    "united states": "US",
    "america": "US",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "czech republic": "CZ",
    "czechia": "CZ",
    "bermudas": "BM",
    "taiwan": "TW",
    "moldova": "MD",
    "venezuela": "VE",
    "bolivia": "BO",
    "iran": "IR",
    "syria": "SY",
    "laos": "LA",
    "vietnam": "VN",
    "tanzania": "TZ",
    "palestine": "PS",
    "vatican": "VA",
    "holland": "NL",
    "ivory coast": "CI",
    "cape verde": "CV",
    "macedonia": "MK",
    "turkey": "TR",
    "swaziland": "SZ",
    "burma": "MM",
    "east timor": "TL",
    "congo": "CG",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "kosovo": "XK",
}

_THE = re.compile(r"^the\s+")
_NOT_WORD = re.compile(r"[^\w.]+")


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _NOT_WORD.sub(" ", text.lower().replace("-", " ")).strip()
    return _THE.sub("", text)


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_key(value), code)
        index[code.lower()] = code
        index.setdefault(country.alpha_3.lower(), code)
    for alias, code in ALIASES.items():
        index[_key(alias)] = code
    return index


@cache
@cache
def country_names() -> dict[str, str]:
    """ISO alpha-2 code -> short English name, for display (built once; do not change it)."""
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names["XK"] = "Kosovo"
    return names


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) pairs sorted by name, shared by every form that asks for a country."""
    return tuple(sorted(country_names().items(), key=lambda item: item[1]))


@cache
def _localized_choices(language: str) -> tuple[tuple[str, str], ...]:
    from django.utils import translation

    with translation.override(language):
        names = [(code, country_name(code)) for code in country_names()]
    return tuple(sorted(names, key=lambda item: sort_key(item[1], language)))


def localized_country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) pairs in the active language, in its alphabetical order."""
    language = supported_language()
    if language == "en":
        return country_choices()
    return _localized_choices(language)


def country_name(code: str) -> str:
    """The country's name in the active language (CLDR through Babel), English by default."""
    language = get_language() or "en"
    if not language.startswith("en"):
        local = territory_name(code)
        if local:
            return local
    return country_names().get(code, code)


@lru_cache(maxsize=4096)  # an import names the same few countries on a million rows
def resolve_country(text: str) -> str | None:
    """The alpha-2 code for a code or a common English name, or None if it is not a country."""
    key = _key(text)
    if not key:
        return None
    code = _index().get(key)
    if code is None and "," in text:
        # "Korea, Republic of" style written the other way round.
        head, _, tail = text.partition(",")
        code = _index().get(_key(f"{tail} {head}"))
    return code
