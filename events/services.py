"""Event reports and their photos. Photos are re-encoded before they are stored: nothing of
the original file but its pixels survives (no EXIF with GPS position or camera serial, no XMP,
no ICC profile, no comments), and none is larger than MAX_SIDE pixels."""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from campaigns.models import Campaign
from events.models import EventPhoto, EventReport

MAX_SIDE = 1600
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    file: ContentFile[bytes]
    width: int
    height: int


def clean_photo(upload: IO[bytes]) -> CleanPhoto:
    """The photo as a new JPEG built from its pixels alone, turned upright, at most 1600 px."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as original:
                original.load()
                upright = ImageOps.exif_transpose(original)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("This file is not a photo Lantern can read.")) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("This photo has too many pixels.")) from exc
    if upright.mode in ("RGBA", "LA", "P"):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    elif upright.mode != "RGB":
        upright = upright.convert("RGB")
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image from the raw pixels carries no `info` (ICC, EXIF, XMP, comments) to save.
    pixels = Image.frombytes("RGB", upright.size, upright.tobytes())
    out = BytesIO()
    pixels.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(
        ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), pixels.width, pixels.height
    )


@transaction.atomic
def add_photo(
    event: EventReport, upload: IO[bytes], caption: str = "", order: int | None = None
) -> EventPhoto:
    clean = clean_photo(upload)
    if order is None:
        order = event.photos.count()
    return EventPhoto.objects.create(event=event, image=clean.file, caption=caption, order=order)


def campaign_photos(campaign: Campaign) -> QuerySet[EventPhoto]:
    """The gallery: every photo of the campaign's events, in the order the events happened."""
    return (
        EventPhoto.objects.filter(event__campaign=campaign)
        .select_related("event")
        .order_by("event__happened_at", "event_id", "order", "pk")
    )
