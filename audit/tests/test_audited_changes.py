"""What changes counts, letters and roles leaves an audit entry, written by the service that
made the change: who, what, which object, never the personal data itself."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.rows import parse_action_fields
from actions.services import record_actions
from actions.types import Source
from audit.models import AuditEntry
from cases.models import Case
from conftest import Cast
from lantern import pdfjobs
from lantern.testing import make_campaign
from letters.models import Letter
from letters.services import (
    LetterInput,
    add_translation,
    approve_letter,
    edit_letter,
    reject_letter,
    submit_letter,
)
from mail.models import MailItem
from mail.services import (
    build_batch,
    give_back_letters,
    hand_over_letters,
    mark_batch_posted,
    record_outcome,
    reroute_unposted,
)
from mail.tests.factories import make_case_at, make_facility, make_letter
from partners.models import ApiToken, Membership
from partners.services import create_api_token, revoke_api_token
from petitions.models import Signature
from petitions.services import (
    SignatureInput,
    approve_held_signatures,
    reject_held_signatures,
    sign_petition,
)

pytestmark = pytest.mark.django_db
A = AuditEntry.Action


def entries(*actions: str) -> list[tuple[str, str, str, int]]:
    rows = AuditEntry.objects.filter(action__in=actions).order_by("pk")
    return [(e.action, e.actor, e.object_type, e.records) for e in rows]


def test_a_batch_of_actions_is_one_entry_with_its_counts(cast: Cast) -> None:
    campaign = make_campaign(slug="w4r", partners=[cast.partner])
    row = {"occurred_at": "2012-12-10T18:00:00+01:00", "country": "JP", "channel": "event"}
    rows = [
        parse_action_fields({**row, "action_type": "art", "count": "1000", "external_id": "a"}),
        parse_action_fields({**row, "action_type": "letter", "count": "20", "external_id": "b"}),
    ]

    record_actions(campaign, cast.partner, rows, source=Source.IMPORT, recorded_by=cast.reporter)
    record_actions(campaign, cast.partner, rows, source=Source.IMPORT)  # already there: no entry

    [entry] = AuditEntry.objects.filter(action=A.COUNTS_RECORDED)
    assert (entry.actor, entry.partner, entry.records) == ("reporter", cast.partner.name, 2)
    assert entry.detail == "import: 2 rows, 1020 actions in w4r"


def test_actions_through_the_api_name_the_token(client: Client, cast: Cast) -> None:
    make_campaign(slug="w4r", partners=[cast.partner])
    token, plain = create_api_token(cast.partner, "CRM", [ApiToken.Scope.RECORD_ACTIONS])
    action = {
        "occurred_at": "2012-12-10T18:00:00+01:00",
        "action_type": "letter",
        "count": 3,
        "country": "PL",
        "external_id": "x",
    }
    body = {"actions": [action]}

    response = client.post(
        "/api/v1/campaigns/w4r/actions",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {plain}"},
    )

    assert response.status_code in (200, 201), response.content
    [entry] = AuditEntry.objects.filter(action=A.COUNTS_RECORDED)
    assert entry.actor == f"API token CRM ({token.prefix}…)"


def test_each_step_of_a_letter_is_audited_with_who_took_it(cast: Cast) -> None:
    facility = make_facility(accepted_languages=["ru"])
    case = make_case_at(facility)
    campaign = make_campaign(slug="w4r", cases=[case])
    data = LetterInput(
        kind=Letter.Kind.LETTER,
        text="Дорогой Алесь, мы помним о вас и ждём вашего возвращения домой.",
        author_name="Zofia",
        author_country="PL",
        author_email="zofia@example.org",
        consent_contact=True,
    )
    edited = submit_letter(campaign, case, data)
    rejected = submit_letter(campaign, case, data)
    translated = make_letter(case, language="pl", status=Letter.Status.APPROVED)

    edit_letter(edited, "Дорогой Алесь, мы помним о вас.", cast.moderator)
    approve_letter(edited, cast.moderator)
    reject_letter(rejected, "Too long for this prison.", cast.moderator)
    add_translation(translated, "ru", "Дорогой Алесь", translator=cast.moderator)

    assert entries(A.LETTER_EDITED, A.LETTER_APPROVED, A.LETTER_REJECTED, A.LETTER_TRANSLATED) == [
        (A.LETTER_EDITED, "moderator", "letters.letter", 0),
        (A.LETTER_APPROVED, "moderator", "letters.letter", 0),
        (A.LETTER_REJECTED, "moderator", "letters.letter", 0),
        (A.LETTER_TRANSLATED, "moderator", "letters.letter", 0),
    ]
    details = " ".join(AuditEntry.objects.values_list("detail", flat=True))
    assert "zofia" not in details.lower() and "Too long" not in details


def test_batching_posting_and_outcomes_are_audited(cast: Cast) -> None:
    facility = make_facility()
    case = make_case_at(facility)
    make_letter(case)
    make_letter(case)

    batch = build_batch(facility, cast.organizer)
    pdfjobs.start(batch, 1)
    pdfjobs.finish(batch, b"%PDF-1.7 batch", "batch.pdf")
    batch.refresh_from_db()
    mark_batch_posted(
        batch, posted_on=timezone.localdate(), tracking_number="", user=cast.organizer
    )
    item = batch.items.select_related("batch").first()
    assert item is not None
    record_outcome(item, MailItem.Outcome.DELIVERED, cast.organizer)

    assert entries(A.LETTERS_BATCHED, A.LETTERS_POSTED, A.LETTER_OUTCOME) == [
        (A.LETTERS_BATCHED, "organizer", "mail.mailbatch", 2),
        (A.LETTERS_POSTED, "organizer", "mail.mailbatch", 2),
        (A.LETTER_OUTCOME, "organizer", "mail.mailitem", 0),
    ]


def test_tokens_created_and_revoked_are_audited(cast: Cast) -> None:
    token, _ = create_api_token(
        cast.partner, "CRM", [ApiToken.Scope.READ_TOTALS], created_by=cast.organizer
    )
    revoke_api_token(token, by=cast.organizer)
    revoke_api_token(token, by=cast.organizer)  # already revoked: nothing more

    assert entries(A.TOKEN_CREATED, A.TOKEN_REVOKED) == [
        (A.TOKEN_CREATED, "organizer", "partners.apitoken", 0),
        (A.TOKEN_REVOKED, "organizer", "partners.apitoken", 0),
    ]


def _partner_form(cast: Cast, **changes: str) -> dict[str, str]:
    data = {
        "name": cast.partner.name,
        "slug": cast.partner.slug,
        "country": cast.partner.country,
        "website": "",
        "contact_public_key": cast.partner.contact_public_key,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_memberships_added_and_removed_in_the_admin_are_audited(client: Client, cast: Cast) -> None:
    client.force_login(cast.organizer)
    url = reverse("admin:partners_partner_change", args=[cast.partner.pk])
    newcomer = User.objects.create_user("newcomer")

    added = client.post(
        url,
        _partner_form(
            cast,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-user": str(newcomer.pk),
                "memberships-0-role": Membership.Role.MODERATOR,
            },
        ),
    )
    membership = Membership.objects.get(user=newcomer)
    removed = client.post(
        url,
        _partner_form(
            cast,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "1",
                "memberships-0-id": str(membership.pk),
                "memberships-0-partner": str(cast.partner.pk),
                "memberships-0-user": str(newcomer.pk),
                "memberships-0-role": Membership.Role.MODERATOR,
                "memberships-0-DELETE": "on",
            },
        ),
    )

    assert added.status_code == removed.status_code == 302
    assert not Membership.objects.filter(user=newcomer).exists()
    assert entries(A.MEMBERSHIP_ADDED, A.MEMBERSHIP_REMOVED) == [
        (A.MEMBERSHIP_ADDED, "organizer", "partners.membership", 0),
        (A.MEMBERSHIP_REMOVED, "organizer", "partners.membership", 0),
    ]


def test_a_partners_new_key_is_audited_with_its_fingerprint(client: Client, cast: Cast) -> None:
    from nacl.public import PublicKey

    from lantern.sealing import encode_key, key_fingerprint

    key = PublicKey(bytes(range(32)))
    client.force_login(cast.organizer)
    url = reverse("admin:partners_partner_change", args=[cast.partner.pk])

    response = client.post(url, _partner_form(cast, contact_public_key=encode_key(key)))

    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(action=A.PARTNER_KEY_SET)
    assert entry.detail == f"fingerprint {key_fingerprint(key)}"


def test_making_a_user_staff_in_the_admin_is_audited(client: Client, cast: Cast) -> None:
    client.force_login(cast.organizer)
    user = cast.outsider

    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "email": user.email,
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": date(2012, 12, 7).isoformat(),
            "date_joined_1": "10:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    [entry] = AuditEntry.objects.filter(action=A.STAFF_CHANGED)
    assert (entry.actor, entry.object_id) == ("organizer", str(user.pk))
    assert "is_staff" in entry.detail


def test_pages_that_show_supporters_names_are_audited(client: Client, cast: Cast) -> None:
    from petitions.services import SignatureInput, sign_petition

    campaign = make_campaign(slug="w4r")
    sign_petition(campaign, SignatureInput(name="Anna Nowak", email="a@example.org", country="PL"))
    facility = make_facility()
    letter = make_letter(make_case_at(facility), status=Letter.Status.NEEDS_REVIEW)
    client.force_login(cast.organizer)

    pages = [
        reverse("admin:petitions_signature_changelist"),
        reverse("admin:letters_letter_change", args=[letter.pk]),
        reverse("letters:moderate_letter", args=[letter.pk]),
    ]
    statuses = [client.get(url).status_code for url in pages]

    assert statuses == [200, 200, 200]
    shown = AuditEntry.objects.filter(action=A.DATA_VIEWED).order_by("pk")
    assert [(e.actor, e.records, e.detail) for e in shown] == [
        ("organizer", 1, "admin list of signatures"),
        ("organizer", 1, "admin page"),
        ("organizer", 1, "moderation page"),
    ]


def test_held_letters_handed_over_or_given_back_are_audited(cast: Cast) -> None:
    case = make_case_at(make_facility(), name="Volha Kazachnaya")
    case.status = Case.Status.RELEASED
    case.save(update_fields=["status"])
    given, handed = make_letter(case), make_letter(case)

    hand_over_letters([handed.pk], user=cast.organizer)
    give_back_letters([given.pk], user=cast.organizer)

    assert entries(A.LETTERS_HANDED_OVER, A.LETTERS_GIVEN_BACK) == [
        (A.LETTERS_HANDED_OVER, "organizer", "", 1),
        (A.LETTERS_GIVEN_BACK, "organizer", "", 1),
    ]


def test_a_move_that_takes_letters_out_of_a_batch_is_audited(cast: Cast) -> None:
    colony, other = make_facility(), make_facility(name="Prison No. 1, Hrodna")
    case = make_case_at(colony)
    make_letter(case)
    build_batch(colony, cast.organizer)
    case.address_periods.update(valid_to=date(2013, 1, 1))
    case.address_periods.create(
        facility=other, valid_from=date(2013, 1, 2), address_lines="Hrodna", recipient_line="X"
    )

    reroute_unposted([case.pk])

    [entry] = AuditEntry.objects.filter(action=A.LETTERS_REROUTED)
    assert (entry.actor, entry.records) == ("reroute", 1)
    assert entry.detail == "0 batch(es) rebuilt, 1 emptied"


def test_held_signatures_approved_or_discarded_are_audited(cast: Cast) -> None:
    campaign = make_campaign()
    for n in range(3):
        signer = SignatureInput(name=f"Signer {n}", email=f"s{n}@example.org", country="PL")
        sign_petition(campaign, signer, held=True)
    first, *rest = Signature.objects.order_by("pk")

    approve_held_signatures([first], actor=cast.organizer)
    reject_held_signatures(rest, actor=cast.organizer)

    assert entries(A.HELD_APPROVED, A.HELD_REJECTED) == [
        (A.HELD_APPROVED, "organizer", "", 1),
        (A.HELD_REJECTED, "organizer", "", 2),
    ]
