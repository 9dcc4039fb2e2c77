"""The audit log: who did what, when, to which object; append-only, enforced by the database.

Entries are written only through `audit.services.record`, called from the services that
show, export, decrypt or erase personal data and that change counts, letters and roles.
They hold no personal data: an object's kind and id, a count, a short detail.

Triggers (`audit.triggers`, installed by migration 0001) refuse UPDATE and DELETE on this
table on SQLite and PostgreSQL. A later migration that alters this table on SQLite remakes
it and drops the triggers: run `audit.triggers.install` again in that migration (the test
`test_the_database_refuses_to_change_the_log` notices a missing trigger).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        # Personal data
        DATA_VIEWED = "data.viewed", "Personal data shown"
        DATA_EXPORTED = "data.exported", "Personal data exported"
        DATA_DECRYPTED = "data.decrypted", "Contact data decrypted"
        DATA_REQUESTED = "data.requested", "Supporter's own data sent to them"
        DATA_ERASED = "data.erased", "Supporter's data erased on request"
        DATA_PURGED = "data.purged", "Personal data purged after retention"
        KEY_ROTATED = "key.rotated", "Sealed values re-sealed to a new key"
        # Counts
        COUNTS_RECORDED = "counts.recorded", "Actions recorded (import, API, event, correction)"
        HELD_APPROVED = "counts.held_approved", "Signatures held past a rate limit approved"
        HELD_REJECTED = "counts.held_rejected", "Signatures held past a rate limit discarded"
        # Letters
        LETTER_APPROVED = "letter.approved", "Letter approved"
        LETTER_EDITED = "letter.edited", "Letter edited"
        LETTER_REJECTED = "letter.rejected", "Letter rejected"
        LETTER_TRANSLATED = "letter.translated", "Letter translated"
        LETTERS_BATCHED = "letters.batched", "Letters put in a mail batch"
        LETTERS_POSTED = "letters.posted", "Mail batch posted"
        LETTER_OUTCOME = "letter.outcome", "Letter's outcome recorded"
        LETTERS_HANDED_OVER = "letters.handed_over", "Held letters handed over in person"
        LETTERS_GIVEN_BACK = "letters.given_back", "Held letters given back to their writers"
        LETTERS_REROUTED = "letters.rerouted", "Letters taken out of unposted batches (a move)"
        # Roles
        MEMBERSHIP_ADDED = "role.membership_added", "Membership added"
        MEMBERSHIP_CHANGED = "role.membership_changed", "Membership changed"
        MEMBERSHIP_REMOVED = "role.membership_removed", "Membership removed"
        TOKEN_CREATED = "role.token_created", "API token created"
        TOKEN_REVOKED = "role.token_revoked", "API token revoked"
        STAFF_CHANGED = "role.staff_changed", "Staff or superuser flag changed"
        PARTNER_KEY_SET = "role.partner_key_set", "Partner's contact key set"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The user's id, if a user acted."
    )
    actor = models.CharField(
        max_length=150, help_text="Who acted: a username, an API token, a command, the system."
    )
    partner_id = models.PositiveBigIntegerField(null=True, blank=True)
    partner = models.CharField(max_length=200, blank=True, help_text="The partner concerned.")
    action = models.CharField(max_length=40, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True, help_text="e.g. letters.letter")
    object_id = models.CharField(max_length=40, blank=True)
    records = models.PositiveIntegerField(
        default=0, help_text="How many supporters' records or rows it concerned."
    )
    detail = models.CharField(max_length=300, blank=True, help_text="Never personal data.")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor}: {self.get_action_display()}"
