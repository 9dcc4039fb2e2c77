"""The registry: every political prisoner a rights group lists, kept as cases letters can go to.

- `Source`: a rights group's list (Viasna's list of political prisoners in Belarus).
- `Observation`: one import of that list, dated (when it was retrieved, when its publisher
  dated it), with the file's hash: what the list said that day. Also the import's job, with
  its progress and its bad rows.
- `Prisoner`: a case as the list knows it: the source's key for the person, what the case
  model has no field for (birth year, arrest, articles, sentence, release date), whether the
  person is on the latest list, and which fields an organizer corrected by hand.
- `ObservedRow`: what one observation said about one prisoner, as read.
- `Change`: what a refresh found: new, transferred, released, sentence or status changed,
  gone from the list, or a disagreement with a hand correction (kept).
- `Correction`: an organizer's change of a registry field, audited.
- `Drive`: a card drive ("New Year greetings, posted by 21 December") to the registry's
  prisoners or a filtered group.
- `Assignment`: which prisoner the fair spread chose for a letter or card, and on what.

The name, status, country, facility and address of a prisoner live where every case keeps
them (`cases.Case`, `CaseName`, `AddressPeriod`): a registry prisoner *is* a case, and
letters reach it through the same screening, moderation, translation and mail desk.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Facility
from lantern.countries import country_choices
from letters.models import Letter


def default_list() -> list[str]:
    return []


class Source(models.Model):
    """A published list of political prisoners, and who publishes it."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, help_text="The list, e.g. Political prisoners.")
    publisher = models.CharField(
        max_length=200, help_text="Who publishes it, e.g. Human Rights Center Viasna."
    )
    url = models.URLField(blank=True, help_text="Where the list is published.")
    country = models.CharField(
        max_length=2, choices=country_choices(), help_text="For rows that name no country."
    )
    language = models.CharField(
        max_length=12, default="be", help_text="BCP 47 code of the names in the local script."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.publisher})"


class Observation(models.Model):
    """One import of a source's list: what it said on the day it was retrieved."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        CHECKING = "checking", _("Checking the rows")
        APPLYING = "applying", _("Writing the changes")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Nothing imported")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="observations")
    retrieved_at = models.DateTimeField(help_text="When the list was downloaded from its source.")
    published_on = models.DateField(
        null=True, blank=True, help_text="The date the publisher gave the list, if any."
    )
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=4, choices=Format.choices)
    file = models.FileField(
        upload_to="registry/%Y/%m/", blank=True, help_text="The uploaded file, kept as received."
    )
    rows = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0, help_text="Rows checked so far.")
    total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=default_list, blank=True, help_text='Bad rows: [{"line": 3, "message": "..."}].'
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-retrieved_at", "-pk"]
        indexes = [
            models.Index(fields=["source", "state", "retrieved_at"], name="observation_latest")
        ]

    def __str__(self) -> str:
        return f"{self.source.name}, {self.retrieved_at:%Y-%m-%d}"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.CHECKING, self.State.APPLYING)

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0


class Prisoner(models.Model):
    """A case as a rights group's list knows it."""

    # The fields a list gives and a refresh compares; an organizer may correct each by hand.
    FIELDS = (
        "name",
        "name_latin",
        "country",
        "birth_year",
        "status",
        "arrested_on",
        "articles",
        "sentence",
        "facility",
        "release_on",
    )

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="prisoner")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="prisoners")
    key = models.CharField(
        max_length=200, help_text="The source's id for the person, or the Latin name and year."
    )
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    arrested_on = models.DateField(null=True, blank=True)
    articles = models.JSONField(
        default=default_list, blank=True, help_text='Articles of the criminal code: ["342-1"].'
    )
    sentence = models.CharField(max_length=300, blank=True)
    release_on = models.DateField(
        null=True, blank=True, help_text="When the person is due out, or was released."
    )
    listed = models.BooleanField(default=True, help_text="On the source's latest list.")
    corrected = models.JSONField(
        default=default_list,
        blank=True,
        help_text="Fields an organizer corrected by hand; a refresh does not overwrite them.",
    )
    first_seen = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="+")
    last_seen = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case__name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="prisoner_key_per_source"),
        ]

    def __str__(self) -> str:
        return self.case.name


class ObservedRow(models.Model):
    """What one observation said about one prisoner, as read from the file."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="seen")
    prisoner = models.ForeignKey(Prisoner, on_delete=models.CASCADE, related_name="seen")
    line = models.PositiveIntegerField()
    values = models.JSONField()

    class Meta:
        ordering = ["observation", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "prisoner"], name="observed_once_per_observation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.observation}: line {self.line}"


class Change(models.Model):
    """What a refresh found about one prisoner, compared with what Lantern knew."""

    class Kind(models.TextChoices):
        NEW = "new", _("New on the list")
        TRANSFERRED = "transferred", _("Transferred")
        RELEASED = "released", _("Released")
        STATUS = "status", _("Status changed")
        SENTENCE = "sentence", _("Sentence changed")
        DETAILS = "details", _("Details changed")
        GONE = "gone", _("Gone from the list")
        BACK = "back", _("Back on the list")
        DISAGREES = "disagrees", _("Disagrees with a hand correction (kept)")

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="changes")
    prisoner = models.ForeignKey(Prisoner, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    field = models.CharField(max_length=20, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        ordering = ["observation", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.prisoner_id} {self.field}"


class Correction(models.Model):
    """An organizer's change of one registry field by hand; the refresh keeps it."""

    prisoner = models.ForeignKey(Prisoner, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=20)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="Why, or where it comes from.")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prisoner}: {self.field}"


class Drive(models.Model):
    """A card drive: short greetings to every registry prisoner, or a filtered group, each
    card to someone the fair spread chooses, posted by one date."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200, help_text="e.g. New Year greetings")
    invitation = models.TextField(
        blank=True, help_text="Shown above the form: what to write, in a few lines."
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        related_name="drives",
        help_text="The cards count in this campaign's ledger (it must collect cards).",
    )
    post_by = models.DateField(help_text="The mail desk posts every card by this date.")
    closes_on = models.DateField(
        help_text="The last day to write: early enough for moderation and the mail desk."
    )
    max_chars = models.PositiveIntegerField(default=600, help_text="Longest greeting.")
    # The group: empty means every registry prisoner.
    sources = models.ManyToManyField(Source, blank=True, related_name="drives")
    countries = models.JSONField(default=default_list, blank=True, help_text='e.g. ["BY"]')
    facilities = models.ManyToManyField(Facility, blank=True, related_name="drives")
    statuses = models.JSONField(
        default=default_list, blank=True, help_text='Case statuses, e.g. ["sentenced"].'
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post_by", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__lte=models.F("post_by")),
                name="drive_closes_before_posting",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """The fair spread's choice of a person for one letter or card, and on what it drew."""

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="assignment")
    drive = models.ForeignKey(
        Drive, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    pool = models.PositiveIntegerField(help_text="How many people could have been chosen.")
    letters_before = models.PositiveIntegerField(
        help_text="Letters the person had in the counting window when chosen."
    )
    cards_before = models.PositiveIntegerField(
        null=True, blank=True, help_text="In a drive: the drive's cards they had when chosen."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"letter {self.letter_id} (drive {self.drive_id})"
