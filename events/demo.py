"""Demo event reports from seed 000, with photos drawn here (nothing is downloaded).

Lanterns lit in Japan, lantern-making in South Korea, a street painting in Warsaw, a photo
action in Poznan, letter-writing in Montreal, a bicycle rally in Paraguay, candles in
Finland. Each photo goes through `add_photo`, like any upload.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO

from PIL import Image, ImageDraw

from campaigns.models import Campaign
from events.models import EventReport
from events.services import add_photo
from partners.models import Partner

SIZE = (1200, 800)
Draw = Callable[[ImageDraw.ImageDraw, random.Random], None]


def _lanterns(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((0, 0, *SIZE), fill=(18, 26, 58))
    for _ in range(140):
        x, y, r = rng.randint(0, 1200), rng.randint(250, 800), rng.randint(8, 22)
        draw.ellipse((x - r * 2, y - r * 2, x + r * 2, y + r * 2), fill=(60, 50, 40))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, rng.randint(170, 220), 90))


def _making_lanterns(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((0, 0, *SIZE), fill=(236, 226, 205))
    draw.rectangle((100, 420, 1100, 480), fill=(140, 96, 60))
    for n in range(7):
        x = 170 + n * 140
        draw.ellipse(
            (x - 45, 300, x + 45, 420), fill=(250, 190, 80), outline=(120, 60, 20), width=4
        )
        draw.ellipse((x - 30, 520, x + 30, 580), fill=(90, 60, 50))
        draw.rectangle((x - 40, 580, x + 40, 760), fill=(rng.randint(40, 200), 90, 140))


def _street_painting(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((0, 0, *SIZE), fill=(190, 184, 176))
    for row in range(0, 800, 50):
        for col in range(-50 if row % 100 else 0, 1200, 100):
            draw.rectangle((col, row, col + 96, row + 46), outline=(160, 150, 140), width=3)
    draw.rectangle((820, 380, 1000, 700), fill=(200, 30, 30))
    draw.rectangle((850, 430, 970, 450), fill=(30, 30, 30))
    for n in range(9):
        x, y = 150 + n * 70, 120 + int(n * 28 + rng.randint(-20, 20))
        draw.polygon([(x, y), (x + 80, y + 10), (x + 70, y + 60), (x - 10, y + 50)], fill="white")
        draw.line([(x, y), (x + 38, y + 32), (x + 80, y + 10)], fill=(120, 120, 120), width=3)


def _photo_action(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((0, 0, *SIZE), fill=(250, 214, 0))
    draw.ellipse((480, 140, 720, 380), fill=(60, 40, 30))
    draw.rectangle((420, 380, 780, 800), fill=(30, 30, 30))
    draw.rectangle((330, 420, 870, 600), fill="white", outline="black", width=6)
    draw.text((370, 470), "FREE ALES BIALIATSKI", fill="black", font_size=40)


def _letters(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((0, 0, *SIZE), fill=(232, 236, 240))
    draw.rectangle((0, 500, 1200, 800), fill=(150, 110, 70))
    for _ in range(18):
        x, y = rng.randint(40, 1080), rng.randint(520, 700)
        draw.rectangle((x, y, x + 110, y + 75), fill="white", outline=(90, 90, 90), width=2)
        for line in range(4):
            draw.line((x + 10, y + 15 + line * 14, x + 95, y + 15 + line * 14), fill=(60, 60, 160))


def _bicycles(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((0, 0, *SIZE), fill=(150, 205, 245))
    draw.rectangle((0, 560, 1200, 800), fill=(110, 110, 110))
    for n in range(5):
        x, y = 120 + n * 220, 600 + rng.randint(-20, 20)
        for wheel in (x, x + 130):
            draw.ellipse((wheel - 50, y - 50, wheel + 50, y + 50), outline="black", width=7)
        draw.line([(x, y), (x + 60, y - 70), (x + 130, y)], fill=(200, 40, 40), width=8)
        draw.ellipse((x + 40, y - 200, x + 90, y - 150), fill=(90, 60, 40))
        draw.line([(x + 65, y - 150), (x + 60, y - 70)], fill=(40, 80, 160), width=16)


def _candles(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((0, 0, *SIZE), fill=(40, 52, 80))
    draw.rectangle((0, 600, 1200, 800), fill=(235, 240, 248))
    for _ in range(60):
        x, y = rng.randint(0, 1200), rng.randint(0, 590)
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill="white")
    for n in range(8):
        x = 100 + n * 140
        draw.rectangle((x - 40, 360, x + 40, 640), fill=(20, 20, 30))
        draw.rectangle((x - 8, 300, x + 8, 360), fill=(250, 246, 230))
        draw.ellipse((x - 10, 270, x + 10, 305), fill=(255, 190, 60))


# (partner, title, city, country, when, people, caption, drawing)
EVENTS: list[tuple[str | None, str, str, str, datetime, int, str, Draw]] = [
    (
        "amnesty-poland",
        "Street painting of Ales Bialiatski",
        "Warsaw",
        "PL",
        datetime(2012, 12, 10, 14, tzinfo=UTC),
        40,
        "Warsaw (Poland)",
        _street_painting,
    ),
    (
        "amnesty-poland",
        "Graffiti: letters falling into a postbox",
        "Warsaw",
        "PL",
        datetime(2012, 12, 10, 16, tzinfo=UTC),
        12,
        "Warsaw (Poland)",
        _letters,
    ),
    (
        "amnesty-poland",
        "Photo action",
        "Poznan",
        "PL",
        datetime(2012, 12, 10, 17, tzinfo=UTC),
        25,
        "Poznan (Poland)",
        _photo_action,
    ),
    (
        "amnesty-japan",
        "1,000 lanterns lit",
        "Tokyo",
        "JP",
        datetime(2012, 12, 8, 9, tzinfo=UTC),
        300,
        "More than 1,000 lanterns lit in Japan",
        _lanterns,
    ),
    (
        "amnesty-korea",
        "Making lanterns together",
        "Seoul",
        "KR",
        datetime(2012, 12, 9, 6, tzinfo=UTC),
        60,
        "South Korea",
        _making_lanterns,
    ),
    (
        "amnesty-canada",
        "Reading about Ales, then writing to him",
        "Montreal",
        "CA",
        datetime(2012, 12, 11, 23, tzinfo=UTC),
        35,
        "Montreal (Canada)",
        _letters,
    ),
    (
        None,
        "Bicycle rally, then petitions",
        "Asuncion",
        "PY",
        datetime(2012, 12, 15, 14, tzinfo=UTC),
        80,
        "A bicycle rally in Paraguay",
        _bicycles,
    ),
    (
        None,
        "Candles and portraits in the frost",
        "Helsinki",
        "FI",
        datetime(2012, 12, 12, 15, tzinfo=UTC),
        20,
        "Frosty Finland",
        _candles,
    ),
]


def load_demo_events(campaign: Campaign) -> list[EventReport]:
    rng = random.Random(7)  # noqa: S311 - reproducible demo pictures
    partners = {p.slug: p for p in Partner.objects.all()}
    events = []
    for partner, title, city, country, when, people, caption, drawing in EVENTS:
        event = EventReport.objects.create(
            campaign=campaign,
            partner=partners.get(partner) if partner else None,
            title=title,
            city=city,
            country=country,
            happened_at=when,
            people=people,
        )
        image = Image.new("RGB", SIZE)
        drawing(ImageDraw.Draw(image), rng)
        buffer = BytesIO()
        image.save(buffer, format="JPEG", quality=80)
        buffer.seek(0)
        add_photo(event, buffer, caption=caption)
        events.append(event)
    return events
