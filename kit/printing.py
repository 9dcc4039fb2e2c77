"""What every piece of the offline kit shares: the link its QR code holds, the QR code and the
portrait as SVG for Typst, the case's names, and the languages a campaign's kit is made in.

Typst (lantern/pdf.py) sees only JSON, so images travel as SVG text: the QR code as segno
draws it, the portrait as a JPEG inside an SVG `<image>` (a data URI). Nothing is fetched.
"""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

import segno
from babel import Locale
from babel.languages import get_official_languages
from django.conf import settings
from django.urls import reverse
from PIL import Image, ImageOps, UnidentifiedImageError

from campaigns.models import Campaign
from cases.models import Case
from partners.models import Partner

# Longest side of the portrait as printed: enough for 300 dpi on an A3 poster's 17 cm frame.
PORTRAIT_PIXELS = 2000


def kit_languages(campaign: Campaign) -> list[str]:
    """The campaign's languages that Lantern ships (en, be, ru, pl, uk), in its order."""
    shipped = dict(settings.LANGUAGES)
    languages = [code for code in campaign.languages if code in shipped]
    return list(dict.fromkeys(languages)) or [settings.LANGUAGE_CODE]


def language_name(code: str, in_language: str) -> str:
    """ "Belarusian" in English, "беларуская" in Belarusian (CLDR); the code if unknown."""
    name = Locale.parse(in_language).languages.get(code)
    return str(name) if name else code


def campaign_link(campaign: Campaign, partner: Partner | None) -> str:
    """The campaign page's public address, naming the partner whose printout it is: what
    supporters sign there after scanning is counted for that partner (docs/KIT.md)."""
    url = settings.SITE_URL + reverse("campaigns:detail", args=[campaign.slug])
    if partner is not None:
        url += "?" + urlencode({"partner": partner.slug})
    return url


def qr_svg(url: str) -> str:
    """The QR code of `url` as SVG, black on white with its quiet zone; error correction M
    (a sticker may get scratched), one unit per module so the layout sets the size."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", border=4, scale=1, xmldecl=False, svgclass=None, lineclass=None)
    return out.getvalue().decode("ascii")


def portrait_svg(case: Case) -> str | None:
    """The case's portrait as an SVG wrapping a JPEG, upright and at most PORTRAIT_PIXELS on
    its longest side; None without a portrait, or when the file cannot be read as an image."""
    if not case.portrait:
        return None
    try:
        with case.portrait.open("rb") as handle, Image.open(handle) as original:
            image = ImageOps.exif_transpose(original).convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    image.thumbnail((PORTRAIT_PIXELS, PORTRAIT_PIXELS))
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=88)
    width, height = image.size
    data = base64.b64encode(jpeg.getvalue()).decode("ascii")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<image width="{width}" height="{height}" '
        f'xlink:href="data:image/jpeg;base64,{data}"/></svg>'
    )


def name_in(case: Case, language: str) -> str:
    """The case's name as written in `language` (its CaseName), else the usual name."""
    for other in case.names.all():
        if other.language.split("-")[0] == language:
            return other.name
    return case.name


def local_name(case: Case) -> str:
    """The name in the script of the case's country (Алесь Бяляцкі for Belarus): the first of
    the country's official languages that the case has a name in; else the usual name."""
    names = {other.language.split("-")[0]: other.name for other in case.names.all()}
    for language in get_official_languages(case.country):
        if language in names:
            return names[language]
    return case.name
