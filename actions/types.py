"""The kinds of action and the channels they come through; shared by ledger, forms and API."""

from django.db import models


class ActionType(models.TextChoices):
    SIGNATURE = "signature", "Petition signature"
    LETTER = "letter", "Letter"
    CARD = "card", "Card"
    EVENT = "event", "Event"
    ART = "art", "Art action"
    PHOTO = "photo", "Photo action"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Paper"
    EVENT = "event", "Event"
    PARTNER = "partner", "Partner report"


class Source(models.TextChoices):
    """Which door an action came in through (its provenance, with who and which batch)."""

    WEB = "web", "Public web page"
    API = "api", "API"
    IMPORT = "import", "CSV import"
    DEMO = "demo", "Demo data"
    WIDGET = "widget", "Widget on a partner's website"
    # An organizer's correction of counts reported earlier (an event report, say): the one
    # source whose rows may have a negative count. See docs/EVENTS.md.
    CORRECTION = "correction", "Correction"
