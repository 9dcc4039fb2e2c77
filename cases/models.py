from __future__ import annotations

from django.db import models

from lantern.countries import country_choices, country_name


class Case(models.Model):
    """A person at risk, on whose behalf campaigns act."""

    class Status(models.TextChoices):
        DETAINED = "detained", "Detained"
        SENTENCED = "sentenced", "Sentenced"
        IN_TRANSIT = "in_transit", "In transit"
        RELEASED = "released", "Released"
        DIED_IN_CUSTODY = "died_in_custody", "Died in custody"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, help_text="The name as most campaigns write it.")
    country = models.CharField(max_length=2, choices=country_choices())
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DETAINED)
    headline = models.CharField(max_length=300, blank=True, help_text="One line: who and why.")
    story = models.TextField(blank=True, help_text="Plain text; blank lines separate paragraphs.")
    portrait = models.ImageField(upload_to="portraits/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

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
        ARREST = "arrest", "Arrest"
        CHARGE = "charge", "Charge"
        TRIAL = "trial", "Trial"
        SENTENCE = "sentence", "Sentence"
        TRANSFER = "transfer", "Transfer"
        RELEASE = "release", "Release"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.TextField()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
