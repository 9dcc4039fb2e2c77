"""The life of a letter up to the mail desk: submit, screen, moderate, translate.

Every state change of a letter before it is batched goes through a function here; the
mail app's services take over from `Letter.READY_FOR_MAIL`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.services import record_action
from actions.types import ActionType, Source
from audit.services import Action as Audit
from audit.services import record
from campaigns.models import Campaign
from cases.models import Case, Facility
from lantern.i18n import supported_language
from lantern.privacy import email_dedupe_hash, normalize_email, seal
from letters import screening
from letters.language import detect_language
from letters.models import Finding, Letter, Rulebook, Translation
from letters.tasks import send_rejection_email
from partners.models import Partner
from privacy.models import TransientAddress
from privacy.services import new_address

# The author's address, readable by the server until the letter is posted (or the short
# TRANSIENT_ADDRESS_HOURS run out): for the rejection email, or the one that gives a letter
# back when the person left prison before it was posted (mail.services.give_back_letters).
AUTHOR = TransientAddress.Purpose.LETTER_AUTHOR

# Findings of these severities send a letter to "needs review"; "info" alone does not.
REVIEW_SEVERITIES = frozenset({Finding.Severity.WARNING, Finding.Severity.BLOCK})


@dataclass(frozen=True)
class LetterInput:
    kind: str
    text: str
    author_name: str
    author_country: str
    author_email: str = ""
    consent_contact: bool = False
    # The writer's language (a code from settings.LANGUAGES); empty: the active language.
    author_language: str = ""


class WritingRefused(Exception):
    """The letter cannot be accepted; the message is shown to the writer."""


class LetterStateError(Exception):
    """The letter is not in a state that allows this step (someone else acted first)."""


def campaign_refusal(campaign: Campaign, kind: str = Letter.Kind.LETTER) -> str:
    """Why this campaign takes no letter of this kind now ("" if it does)."""
    action_type = ActionType.CARD if kind == Letter.Kind.POSTCARD else ActionType.LETTER
    if campaign.status != Campaign.Status.LIVE:
        return _("This campaign is not taking letters now.")
    if action_type not in campaign.action_types:
        if kind == Letter.Kind.POSTCARD:
            return _("This campaign does not collect postcards.")
        return _("This campaign does not collect letters.")
    return ""


def case_refusal(case: Case, kind: str = Letter.Kind.LETTER) -> str:
    """Why this person cannot get this kind of letter now ("" if they can): their safety
    profile, their release, their prison's rules."""
    if not case.may_be_written_to:
        return _(
            "Letters cannot be sent to this person: writing could put them in danger. "
            "Please sign the petition or take another action instead."
        )
    if case.status == Case.Status.RELEASED:
        return _("%(name)s has been released: letters are no longer posted to the prison.") % {
            "name": case.name
        }
    if case.status == Case.Status.DIED_IN_CUSTODY:
        return _("%(name)s died in custody. Letters are no longer sent.") % {"name": case.name}
    address = case.current_address()
    if kind == Letter.Kind.POSTCARD and address and not address.facility.postcards_allowed:
        return _("This prison does not pass on postcards; please write a letter.")
    return ""


def writing_refusal(campaign: Campaign, case: Case, kind: str = Letter.Kind.LETTER) -> str:
    """Why a supporter cannot write this kind of letter to this case now ("" if they can)."""
    refusal = campaign_refusal(campaign, kind)
    if refusal:
        return refusal
    if not campaign.cases.filter(pk=case.pk).exists():
        return _("This person is not part of this campaign.")
    return case_refusal(case, kind)


def accepts_letters(campaign: Campaign) -> bool:
    """The campaign takes letters or cards at all (for the link on the campaign page)."""
    return campaign.status == Campaign.Status.LIVE and bool(
        {ActionType.LETTER, ActionType.CARD} & set(campaign.action_types)
    )


def writable_cases(campaign: Campaign) -> list[Case]:
    if not accepts_letters(campaign):
        return []
    return list(
        campaign.cases.filter(may_be_written_to=True).exclude(status__in=Case.NOT_IN_CUSTODY)
    )


def submit_letter(
    campaign: Campaign,
    case: Case,
    data: LetterInput,
    *,
    partner: Partner | None = None,
    source: Source = Source.WEB,
    chosen_by_lantern: bool = False,
    post_by: date | None = None,
) -> Letter:
    """Store a letter, count it in the ledger at once, and screen it.

    Clean letters wait for a moderator as "submitted"; letters with warnings or blocks as
    "needs review". Raises WritingRefused if this letter may not be written.

    `chosen_by_lantern`: the registry's fair spread chose this person, who need not be one of
    the campaign's own cases (`registry.services`); everything else is checked as usual.
    `post_by`: the date the letter must be posted by (a card drive's posting date).
    """
    if chosen_by_lantern:
        refusal = campaign_refusal(campaign, data.kind) or case_refusal(case, data.kind)
    else:
        refusal = writing_refusal(campaign, case, data.kind)
    if refusal:
        raise WritingRefused(refusal)
    address = ""
    if data.author_email and data.consent_contact:
        address = normalize_email(data.author_email)
    text = data.text.strip()
    language = detect_language(text)
    kind_action = ActionType.CARD if data.kind == Letter.Kind.POSTCARD else ActionType.LETTER
    with transaction.atomic():
        action = record_action(
            campaign,
            case_id=case.pk,
            action_type=kind_action,
            country=data.author_country,
            partner=partner,
            source=source,
        )
        letter = Letter.objects.create(
            campaign=campaign,
            case=case,
            kind=data.kind,
            text=text,
            language=language,
            author_name=data.author_name.strip(),
            author_language=data.author_language or supported_language(),
            author_country=data.author_country,
            author_contact_sealed=seal(address) if address else None,
            author_email_hash=email_dedupe_hash(address) if address else None,
            action=action,
            partner=partner,
            post_by=post_by,
        )
        if address:  # readable by the server only until posted, for a short time
            new_address(AUTHOR, letter.pk, address)
        screen_letter(letter)
    return letter


def rulebooks_for(case: Case, facility: Facility | None) -> list[Rulebook]:
    """The active rulebooks that apply: the facility's country (or the case's), the facility."""
    country = facility.country if facility else case.country
    scope = Q(country=country, facility__isnull=True)
    if facility is not None:
        scope |= Q(facility=facility)
    return list(Rulebook.objects.filter(scope, active=True).order_by("facility_id", "name"))


def screen_text(
    text: str, *, case: Case, kind: str, language: str, on: date | None = None
) -> list[Finding]:
    """Screen a text for a case's current facility; unsaved Finding rows, in text order."""
    address = case.current_address(on)
    facility = address.facility if address else None
    context = screening.Context(
        text=text,
        language=language,
        kind=kind,
        accepted_languages=tuple(facility.accepted_languages) if facility else (),
        max_length_chars=facility.max_length_chars if facility else None,
    )
    sources = [screening.RuleSource(b.rules, b.version) for b in rulebooks_for(case, facility)]
    return [
        Finding(
            rule=hit.rule[:60],
            severity=hit.severity,
            message=hit.message[:300],
            start=hit.start,
            end=hit.end,
            matched_text=hit.matched_text[:300],
            rulebook_version=version,
        )
        for hit, version in screening.screen(context, sources)
    ]


def screen_letter(letter: Letter) -> list[Finding]:
    """Replace the letter's findings and set "submitted" or "needs review" accordingly."""
    findings = screen_text(
        letter.text, case=letter.case, kind=letter.kind, language=letter.language
    )
    for finding in findings:
        finding.letter = letter
    letter.findings.all().delete()
    Finding.objects.bulk_create(findings)
    needs_review = any(f.severity in REVIEW_SEVERITIES for f in findings)
    letter.status = Letter.Status.NEEDS_REVIEW if needs_review else Letter.Status.SUBMITTED
    letter.save(update_fields=["status", "updated_at"])
    return findings


def _claim(letter: Letter, allowed: tuple[str, ...], **changes: object) -> None:
    """Move the letter on only if it is still in one of `allowed` (two moderators at once)."""
    updated = Letter.objects.filter(pk=letter.pk, status__in=allowed).update(
        updated_at=timezone.now(), **changes
    )
    if not updated:
        raise LetterStateError(letter.pk)
    letter.refresh_from_db()


def approve_letter(letter: Letter, moderator: AbstractBaseUser | None) -> None:
    """Let a letter through; None as moderator only for imports and demo data."""
    with transaction.atomic():
        _claim(
            letter,
            Letter.IN_MODERATION,
            status=Letter.Status.APPROVED,
            moderated_by_id=moderator.pk if moderator else None,
            moderated_at=timezone.now(),
        )
        record(Audit.LETTER_APPROVED, actor=moderator, by="import", obj=letter)


def edit_letter(letter: Letter, text: str, moderator: AbstractBaseUser) -> list[Finding]:
    """A moderator's edit: the author's text is kept once, the new text is screened again."""
    with transaction.atomic():
        locked = Letter.objects.select_for_update().select_related("case").get(pk=letter.pk)
        if locked.status not in Letter.IN_MODERATION:
            raise LetterStateError(letter.pk)
        if not locked.original_text:
            locked.original_text = locked.text
        locked.text = text.strip()
        locked.language = detect_language(locked.text) or locked.language
        locked.moderated_by = moderator  # type: ignore[assignment]  # a User in practice
        locked.save(update_fields=["original_text", "text", "language", "moderated_by"])
        findings = screen_letter(locked)
        record(Audit.LETTER_EDITED, actor=moderator, obj=locked, detail=f"{len(findings)} findings")
    letter.refresh_from_db()
    return findings


def reject_letter(letter: Letter, reason: str, moderator: AbstractBaseUser | None) -> None:
    """Turn a letter down; the author, if they left an address, is emailed the reason."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a rejection needs a reason the author can read")
    with transaction.atomic():
        _claim(
            letter,
            Letter.IN_MODERATION,
            status=Letter.Status.REJECTED,
            rejection_reason=reason,
            moderated_by_id=moderator.pk if moderator else None,
            moderated_at=timezone.now(),
        )
        record(Audit.LETTER_REJECTED, actor=moderator, by="import", obj=letter)
        if letter.author_contact_sealed:
            pk = letter.pk
            transaction.on_commit(lambda: send_rejection_email.enqueue(pk))


def facility_of(letter: Letter) -> Facility | None:
    address = letter.case.current_address()
    return address.facility if address else None


def needs_translation(letter: Letter, facility: Facility | None = None) -> bool:
    """The letter's language is not one the case's current facility accepts."""
    facility = facility or facility_of(letter)
    if facility is None or not letter.language:
        return False
    return not facility.accepts_language(letter.language)


def letters_to_translate() -> list[tuple[Letter, Facility]]:
    """Approved letters whose facility does not accept their language, oldest first."""
    letters = Letter.objects.filter(status=Letter.Status.APPROVED).select_related("case")
    today = timezone.localdate()
    out: list[tuple[Letter, Facility]] = []
    facilities = _current_facilities({letter.case_id for letter in letters}, today)
    for letter in letters:
        facility = facilities.get(letter.case_id)
        if facility is not None and needs_translation(letter, facility):
            out.append((letter, facility))
    return out


def _current_facilities(case_ids: set[int], on: date) -> dict[int, Facility]:
    from cases.models import AddressPeriod

    periods = (
        AddressPeriod.objects.filter(case_id__in=case_ids, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("facility")
        .order_by("case_id", "valid_from")
    )
    return {p.case_id: p.facility for p in periods}  # the latest start wins


def add_translation(
    letter: Letter,
    language: str,
    text: str,
    *,
    translator: AbstractBaseUser | None = None,
    machine_backend: str = "",
) -> Translation:
    """Attach a translation into a language the facility accepts; the letter is "translated"."""
    facility = facility_of(letter)
    if facility is not None and not facility.accepts_language(language):
        raise ValueError(f"the facility does not accept {language!r}")
    if not text.strip():
        raise ValueError("a translation needs text")
    with transaction.atomic():
        _claim(letter, (Letter.Status.APPROVED,), status=Letter.Status.TRANSLATED)
        record(
            Audit.LETTER_TRANSLATED,
            actor=translator,
            by="machine translation" if machine_backend else "import",
            obj=letter,
            detail=f"into {language}",
        )
        return Translation.objects.create(
            letter=letter,
            language=language,
            text=text.strip(),
            translator_id=translator.pk if translator else None,
            machine_backend=machine_backend,
        )


def is_ready_for_mail(letter: Letter, facility: Facility | None = None) -> bool:
    """Approved and needing no translation, or translated: the mail desk may batch it."""
    if letter.status == Letter.Status.TRANSLATED:
        return True
    return letter.status == Letter.Status.APPROVED and not needs_translation(letter, facility)


def revise_rulebook(
    rulebook: Rulebook, *, rules: object, note: str = "", user: AbstractBaseUser | None = None
) -> Rulebook:
    """Save changed rules as the next version; the old version stays, inactive."""
    screening.validate_rules(rules)
    with transaction.atomic():
        current = Rulebook.objects.select_for_update().get(name=rulebook.name, active=True)
        latest = Rulebook.objects.filter(name=rulebook.name).order_by("-version").first()
        Rulebook.objects.filter(pk=current.pk).update(active=False)
        return Rulebook.objects.create(
            name=current.name,
            country=current.country,
            facility=current.facility,
            version=(latest.version if latest else current.version) + 1,
            active=True,
            rules=rules,
            note=note,
            created_by_id=user.pk if user else None,
        )
