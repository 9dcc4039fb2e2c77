"""Letters and cards from supporters to a case, their screening findings and translations.

The life of a letter (`Letter.Status`), and who moves it along:

- ``submitted``: the supporter sent it and screening found nothing; waits for a moderator.
- ``needs_review``: screening found something (`Finding` rows); waits for a moderator.
- ``approved``: a moderator let it through (`letters.services.approve_letter`).
- ``rejected``: a moderator turned it down; `rejection_reason` is shown to the author
  (`letters.services.reject_letter`).
- ``translated``: a translator attached a translation into a language the facility accepts
  (`letters.services.add_translation`); original and translation travel together.

From here the mail app's services move the letter on (they import `Letter` and set
`status` with ``save(update_fields=["status", "updated_at"])``):

- ``batched``: put into a mail batch for the facility.
- ``posted``: the batch was posted.
- ``delivered``: the facility or the person confirmed it arrived.
- ``returned``: it came back undelivered.
- ``censored``: it did not pass censorship.

A letter to a person who was released (or died) before it was posted is never posted; it
waits with the mail desk until an organizer marks it (`mail.services.hand_over_letters`,
`give_back_letters`):

- ``handed_over``: given to the person in their hands after the release.
- ``given_back``: given back to its writer, who is told so if they left an address.

`Letter.READY_FOR_MAIL` names the statuses a letter may be batched from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from campaigns.models import Campaign
from cases.models import Case, Facility
from lantern.countries import country_choices
from partners.models import Partner


class Letter(models.Model):
    """A letter or postcard from a supporter to a case."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter")
        POSTCARD = "postcard", _("Postcard")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        NEEDS_REVIEW = "needs_review", _("Needs review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        TRANSLATED = "translated", _("Translated")
        BATCHED = "batched", _("In a mail batch")
        POSTED = "posted", _("Posted")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned")
        CENSORED = "censored", _("Did not pass censorship")
        HANDED_OVER = "handed_over", _("Handed over in person")
        GIVEN_BACK = "given_back", _("Given back to the writer")

    # Waiting for a moderator.
    IN_MODERATION = (Status.SUBMITTED, Status.NEEDS_REVIEW)
    # May go into a mail batch (an approved letter needing a translation is held by the
    # translation queue until it is translated: see `letters.services.ready_for_mail`).
    READY_FOR_MAIL = (Status.APPROVED, Status.TRANSLATED)
    # Not yet posted: what a person's cap on letters per batch and the fair spread count.
    UNPOSTED = (*IN_MODERATION, *READY_FOR_MAIL, Status.BATCHED)

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="letters")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LETTER)
    text = models.TextField(help_text="The text that will be printed; a moderator may edit it.")
    original_text = models.TextField(
        blank=True, help_text="The author's own text, kept when a moderator edits it."
    )
    language = models.CharField(
        max_length=8, blank=True, help_text="ISO 639-1 code, detected at submission."
    )
    author_name = models.CharField(max_length=200)
    author_country = models.CharField(max_length=2, choices=country_choices())
    author_language = models.CharField(
        max_length=12, blank=True, help_text="The page's language when writing; emails use it."
    )
    author_contact_sealed = models.BinaryField(
        null=True,
        blank=True,
        help_text="The author's email sealed to the organization's key; only with consent.",
    )
    author_email_hash = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        db_index=True,
        help_text="Keyed hash of the author's email, to find their letters on request.",
    )
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.SUBMITTED)
    rejection_reason = models.TextField(blank=True, help_text="Shown to the author.")
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    action = models.OneToOneField(
        Action, on_delete=models.PROTECT, null=True, blank=True, related_name="letter"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    post_by = models.DateField(
        null=True, blank=True, help_text="Posted by this date (a card drive's posting date)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymized_at = models.DateTimeField(
        null=True, blank=True, help_text="Author's name and contact erased."
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "case"], name="letter_status_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.case_id} from {self.author_name}"

    @property
    def was_edited(self) -> bool:
        return bool(self.original_text) and self.original_text != self.text


class Finding(models.Model):
    """One thing screening flagged in a letter: which words, which rule, and why."""

    class Severity(models.TextChoices):
        INFO = "info", "Info"
        WARNING = "warning", "Warning"
        BLOCK = "block", "Block"

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="findings")
    rule = models.CharField(max_length=60, help_text="Rule code, e.g. banned_topic.war.")
    severity = models.CharField(max_length=8, choices=Severity.choices)
    message = models.CharField(max_length=300, help_text="Why the words were flagged.")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    matched_text = models.CharField(max_length=300, blank=True)
    rulebook_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["letter", "start", "pk"]

    def __str__(self) -> str:
        return f"{self.rule}: {self.matched_text}"


class Translation(models.Model):
    """A letter's text in a language its facility accepts; printed with the original."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8, help_text="ISO 639-1 code.")
    text = models.TextField()
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    machine_backend = models.CharField(
        max_length=60, blank=True, help_text="Set when a machine translated it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["letter", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "language"], name="translation_one_per_lang"),
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} → {self.language}"


class LetterTemplate(models.Model):
    """A ready text writers can start from, for a facility or a whole country."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, null=True, blank=True, related_name="templates"
    )
    country = models.CharField(max_length=2, choices=country_choices(), blank=True)
    language = models.CharField(max_length=8, help_text="ISO 639-1 code.")
    kind = models.CharField(max_length=10, choices=Letter.Kind.choices, default=Letter.Kind.LETTER)
    title = models.CharField(max_length=120)
    text = models.TextField()

    class Meta:
        ordering = ["language", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(facility__isnull=False) | ~models.Q(country=""),
                name="letter_template_has_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class Rulebook(models.Model):
    """One version of the screening rules for a country or a facility, kept as data.

    Editing a rulebook in the admin saves a new version (the old one stays, inactive), so
    every finding can say which rules produced it. The shape of `rules` is documented in
    docs/SCREENING.md.
    """

    name = models.CharField(max_length=120)
    country = models.CharField(max_length=2, choices=country_choices(), blank=True)
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, null=True, blank=True, related_name="rulebooks"
    )
    version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(default=True)
    rules = models.JSONField(default=list)
    note = models.TextField(blank=True, help_text="Where the rules come from; what changed.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="rulebook_version_unique"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(active=True), name="rulebook_one_active"
            ),
            models.CheckConstraint(
                condition=models.Q(facility__isnull=False) | ~models.Q(country=""),
                name="rulebook_has_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
