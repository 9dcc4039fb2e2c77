from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.countries import country_choices, country_name


class Case(models.Model):
    """A person at risk, on whose behalf campaigns act."""

    class Status(models.TextChoices):
        DETAINED = "detained", _("Detained")
        SENTENCED = "sentenced", _("Sentenced")
        IN_TRANSIT = "in_transit", _("In transit")
        RELEASED = "released", _("Released")
        DIED_IN_CUSTODY = "died_in_custody", _("Died in custody")

    # No letter is posted to a prison for these any more.
    NOT_IN_CUSTODY = (Status.RELEASED, Status.DIED_IN_CUSTODY)

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, help_text="The name as most campaigns write it.")
    country = models.CharField(max_length=2, choices=country_choices())
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DETAINED)
    headline = models.CharField(max_length=300, blank=True, help_text="One line: who and why.")
    story = models.TextField(blank=True, help_text="Plain text; blank lines separate paragraphs.")
    portrait = models.ImageField(upload_to="portraits/", blank=True)
    # The safety profile: what supporters may do without putting the person in danger.
    may_be_written_to = models.BooleanField(
        default=True, help_text="Supporters may send letters and cards to this person."
    )
    may_be_published = models.BooleanField(
        default=True, help_text="Letters from this person may be published."
    )
    letters_from_abroad_risky = models.BooleanField(
        default=False, help_text="Mail from abroad may harm the person; moderators check origin."
    )
    named_correspondents_only = models.BooleanField(
        default=False, help_text="Only letters signed with a full name reach the person."
    )
    max_letters_per_batch = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="At most this many letters in one mail batch."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def mail_on_hold(self) -> bool:
        """Mail waits while the person is moved between prisons: it would be lost or returned."""
        return self.status == self.Status.IN_TRANSIT

    @property
    def in_custody(self) -> bool:
        """Detained, sentenced or in transit: not released, not dead. Mail goes to prison only
        while this holds; letters to a released person wait to be handed over."""
        return self.status not in self.NOT_IN_CUSTODY

    def current_address(self, on: date | None = None) -> AddressPeriod | None:
        """The address period valid on `on` (today by default), or None if none is known."""
        day = on or timezone.localdate()
        return (
            self.address_periods.select_related("facility")
            .filter(valid_from__lte=day)
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))
            .order_by("-valid_from")
            .first()
        )

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class CaseName(models.Model):
    """The case's name in another script or transliteration (Алесь Бяляцкі, Aleś Bialacki)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    language = models.CharField(max_length=12, help_text="BCP 47 code, e.g. be, ru, pl.")
    script = models.CharField(max_length=4, blank=True, help_text="ISO 15924 code: Latn, Cyrl.")

    class Meta:
        ordering = ["language", "name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "name"], name="case_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CaseEvent(models.Model):
    """A dated step in the case's timeline."""

    class Kind(models.TextChoices):
        ARREST = "arrest", _("Arrest")
        CHARGE = "charge", _("Charge")
        TRIAL = "trial", _("Trial")
        SENTENCE = "sentence", _("Sentence")
        TRANSFER = "transfer", _("Transfer")
        RELEASE = "release", _("Release")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.TextField()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


def default_accepted_languages() -> list[str]:
    return []


class Facility(models.Model):
    """A prison, colony or detention centre that receives mail, with its mail rules."""

    class Kind(models.TextChoices):
        PRE_TRIAL = "pre_trial", "Pre-trial detention centre"
        PENAL_COLONY = "penal_colony", "Penal colony"
        PRISON = "prison", "Prison"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, choices=country_choices())
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRISON)
    accepted_languages = models.JSONField(
        default=default_accepted_languages,
        blank=True,
        help_text='ISO 639-1 codes of the languages the censor lets through, e.g. ["ru", "be"].',
    )
    postcards_allowed = models.BooleanField(default=True)
    enclosures_allowed = models.BooleanField(
        default=False, help_text="Photos, drawings or other enclosures are passed on."
    )
    max_length_chars = models.PositiveIntegerField(
        null=True, blank=True, help_text="Longest letter, in characters, the facility passes on."
    )
    writer_guidance = models.TextField(
        blank=True, help_text="Shown to writers: what to write about, what to avoid."
    )
    rulebook_url = models.URLField(
        blank=True, help_text="Where the screening rules for this facility are published."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name

    def accepts_language(self, code: str) -> bool:
        """No list means no known restriction."""
        return not self.accepted_languages or code in self.accepted_languages


class AddressPeriod(models.Model):
    """Where a case received mail from one date to another (open-ended while current)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="address_periods")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="address_periods")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Empty while current.")
    address_lines = models.TextField(
        help_text="The exact postal address in the local script, one line per line."
    )
    recipient_line = models.CharField(
        max_length=300,
        help_text="The recipient as the facility wants it, e.g. full name and year of birth.",
    )

    class Meta:
        ordering = ["case", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="address_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} at {self.facility} from {self.valid_from:%Y-%m-%d}"

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.address_lines.splitlines() if line.strip()]


class CaseTranslation(models.Model):
    """The case's headline and story in another language, shown on pages in that language."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=12, choices=settings.LANGUAGES)
    headline = models.CharField(max_length=300, blank=True)
    story = models.TextField(blank=True, help_text="Plain text; blank lines separate paragraphs.")

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["case", "language"], name="case_translation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case} ({self.language})"
