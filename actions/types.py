"""The kinds of action and the channels they come through; shared by ledger, forms and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionType(models.TextChoices):
    SIGNATURE = "signature", _("Petition signature")
    LETTER = "letter", _("Letter")
    CARD = "card", _("Card")
    EVENT = "event", _("Event")
    ART = "art", _("Art action")
    PHOTO = "photo", _("Photo action")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")
    EVENT = "event", _("Event")
    PARTNER = "partner", _("Partner report")


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
