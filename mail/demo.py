"""The mail desk's part of the demo (called from lantern/demo.py), from the seed documents.

- Seed 003, "Send a message to Ales Bialiatski before 12 July": the signatures were added to
  a letter sent by regular mail at the end of July. Here: a few hundred confirmed signers,
  the petition frozen on 12 July 2013, the letter built, posted from Stockholm on 29 July.
- Ales wrote from "the penal colony in Babruysk" and answered "a great number of letters":
  a batch of marathon letters to that colony, posted in January 2013, with outcomes.

Dates are set after each service call: the services stamp "now", the demo tells of 2013.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from actions.models import Action
from actions.tallies import rebuild_tallies
from actions.types import ActionType, Channel, Source
from campaigns.models import Campaign
from cases.models import AddressPeriod, Case, Facility
from lantern.privacy import email_dedupe_hash, seal
from letters.demo import ADDRESS_LINES, FACILITY_NAME, RECIPIENT_LINE
from letters.models import Letter, Translation
from mail.models import MailBatch, MailItem
from mail.services import build_batch, mark_batch_posted, record_outcome
from mail.tasks import build_batch_pdf
from petitions.models import PetitionDelivery, Signature
from petitions.services import freeze_petition, record_petition_posted
from petitions.tasks import build_petition_pdf

PETITION_SLUG = "message-to-ales-2013"
MARATHON_SLUG = "write-for-rights-2012"
PETITION_SIGNERS = 420
FROZEN_AT = datetime(2013, 7, 12, 22, 0, tzinfo=UTC)  # the end of 12 July in Minsk
PETITION_POSTED_ON = date(2013, 7, 29)
BATCH_MADE_AT = datetime(2013, 1, 8, 10, 0, tzinfo=UTC)
BATCH_POSTED_ON = date(2013, 1, 9)

NAMES = [
    ("Anna Lindqvist", "SE"),
    ("Erik Johansson", "SE"),
    ("Zofia Łukasiewicz", "PL"),
    ("Алена Кавалёва", "BY"),
    ("Дмитрий Смирнов", "RU"),
    ("Олена Коваленко", "UA"),
    ("Ελένη Παπαδοπούλου", "GR"),
    ("佐藤 さくら", "JP"),
    ("김민준", "KR"),
    ("李明", "TW"),
    ("Jan Novák", "CZ"),
    ("Emma Virtanen", "FI"),
    ("Lukas Huber", "AT"),
    ("Chloe Martin", "FR"),
]

# Marathon letters to Ales, as supporters wrote them (language, author, country, text,
# and a translation into Russian where the colony would not take the original).
LETTERS = [
    ("be", "Алена Кавалёва", "BY", "Дарагі Алесь! Мы памятаем пра Вас і чакаем дома.", ""),
    ("ru", "Дмитрий Смирнов", "RU", "Алесь, держитесь! Вы не один.", ""),
    (
        "pl",
        "Zofia Łukasiewicz",
        "PL",
        "Drogi Alesiu, pozdrowienia z Warszawy. Myślimy o Tobie.",
        "Дорогой Алесь, привет из Варшавы. Мы думаем о Вас.",
    ),
    (
        "en",
        "Emma Virtanen",
        "FI",
        "Dear Ales, greetings from Helsinki. Thousands of us are writing to you.",
        "Дорогой Алесь, привет из Хельсинки. Тысячи из нас пишут Вам.",
    ),
    (
        "ja",
        "佐藤 さくら",
        "JP",
        "アレシュさん、東京から千のランタンの光を送ります。",
        "Алесь, из Токио мы шлём Вам свет тысячи фонариков.",
    ),
    (
        "cs",
        "Jan Novák",
        "CZ",
        "Milý Alesi, srdečné pozdravy z Prahy.",
        "Дорогой Алесь, сердечный привет из Праги.",
    ),
]
OUTCOMES = ["delivered", "delivered", "delivered", "delivered", "censored", "returned"]


def load_demo_mail(case: Case) -> None:
    """Run inside load_demo's transaction, after the campaigns exist."""
    facility = _babruysk(case)
    _petition_delivery(Campaign.objects.get(slug=PETITION_SLUG), case)
    _posted_batch(Campaign.objects.get(slug=MARATHON_SLUG), case, facility)


def _babruysk(case: Case) -> Facility:
    """The colony as the letters demo describes it (whichever of the two runs first)."""
    facility, _ = Facility.objects.get_or_create(
        name=FACILITY_NAME,
        defaults={
            "country": "BY",
            "kind": Facility.Kind.PENAL_COLONY,
            "accepted_languages": ["be", "ru"],
        },
    )
    if not AddressPeriod.objects.filter(case=case, facility=facility).exists():
        AddressPeriod.objects.create(
            case=case,
            facility=facility,
            valid_from=date(2012, 1, 24),
            address_lines="\n".join(ADDRESS_LINES),
            recipient_line=RECIPIENT_LINE,
        )
    return facility


def _petition_delivery(campaign: Campaign, case: Case) -> None:
    rng = random.Random(2013)  # noqa: S311 - reproducible demo data
    start = datetime(2013, 6, 1, 8, tzinfo=UTC)
    actions, signatures = [], []
    for number in range(PETITION_SIGNERS):
        name, country = rng.choice(NAMES)
        at = start + timedelta(seconds=rng.uniform(0, (FROZEN_AT - start).total_seconds()))
        action = Action(
            campaign=campaign,
            case=case,
            action_type=ActionType.SIGNATURE,
            count=1,
            country=country,
            occurred_at=at,
            channel=Channel.ONLINE,
            source=Source.DEMO,
        )
        actions.append(action)
        email = f"message{number}@example.org"
        signatures.append(
            Signature(
                campaign=campaign,
                name=name,
                name_display=rng.choices(list(Signature.NameDisplay), weights=[6, 3, 1])[0],
                country=country,
                consent_letter=rng.random() < 0.8,
                email_hash=email_dedupe_hash(email),
                email_sealed=seal(email),
                confirmed_at=at + timedelta(minutes=rng.randint(1, 90)),
            )
        )
    Action.objects.bulk_create(actions)
    for signature, action in zip(signatures, actions, strict=True):
        signature.action = action
    Signature.objects.bulk_create(signatures)
    rebuild_tallies(campaign.pk)

    delivery = freeze_petition(campaign, None, place="Stockholm")
    PetitionDelivery.objects.filter(pk=delivery.pk).update(frozen_at=FROZEN_AT)
    build_petition_pdf.call(delivery.pk)
    delivery.refresh_from_db()
    record_petition_posted(
        delivery, posted_on=PETITION_POSTED_ON, tracking_number="RR 123 456 785 SE", user=None
    )


def _posted_batch(campaign: Campaign, case: Case, facility: Facility) -> None:
    for language, author, country, text, translation in LETTERS:
        letter = Letter.objects.create(
            campaign=campaign,
            case=case,
            text=text,
            language=language,
            author_name=author,
            author_country=country,
            status=Letter.Status.TRANSLATED if translation else Letter.Status.APPROVED,
        )
        if translation:
            Translation.objects.create(letter=letter, language="ru", text=translation)
    batch = build_batch(facility, None)
    MailBatch.objects.filter(pk=batch.pk).update(created_at=BATCH_MADE_AT)
    build_batch_pdf.call(batch.pk)
    batch.refresh_from_db()
    mark_batch_posted(
        batch, posted_on=BATCH_POSTED_ON, tracking_number="RB 987 654 321 BY", user=None
    )
    for item, outcome in zip(batch.items.order_by("position"), OUTCOMES, strict=False):
        record_outcome(item, MailItem.Outcome(outcome), None)
