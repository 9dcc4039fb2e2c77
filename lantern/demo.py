"""The demo marathon, drawn from the seed documents in shared/seeds (see docs/DEMO.md).

Write for Rights 2012 for Ales Bialiatski: 104,731 actions in 36 countries, 30,894 of them in
Poland within 24 hours on Human Rights Day. A few thousand web signatures spread over the
marathon, and partners' offline reports (1,000 lanterns lit in Japan, schoolchildren's
letters in Togo, a bicycle rally in Paraguay ...) through the same ledger service as any
import. The figures are chosen so that `campaign_report` reproduces the seed article's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from django.db import transaction

from actions.models import Action
from actions.rows import ActionInput
from actions.services import record_actions
from actions.tallies import rebuild_tallies
from actions.types import ActionType, Channel, Source
from campaigns.models import Campaign
from cases.models import Case, CaseEvent, CaseName
from correspondence.demo import load_demo_posts
from events.demo import load_demo_events
from lantern.demo_translations import load_demo_translations
from lantern.privacy import email_dedupe_hash, seal
from letters.demo import load_demo_letters
from mail.demo import load_demo_mail
from partners.models import Partner
from petitions.models import Signature
from registry.demo import load_demo_registry

SLUG = "write-for-rights-2012"
TOTAL = 104_731
POLAND_DAY = 30_894
WEB_SIGNATURES = 2_400

# The 36 countries the seed article names, as ISO codes.
_COUNTRY_LIST = (
    "AT BE BM BG CA CY CZ FI GH IS IE IT JP LV LU ML MT MD MN PY PL PT PR RO RU SK SI KR "
    "SE CH TW TG TN UA VE GB"
)
COUNTRIES = _COUNTRY_LIST.split()
CET = timezone(timedelta(hours=1))
START = datetime(2012, 12, 7, 9, 0, tzinfo=UTC)
END = datetime(2013, 1, 15, 0, 0, tzinfo=UTC)
# Poland's busiest day, Human Rights Day in Warsaw time; no Polish web signature falls near it.
POLAND_DAY_START = datetime(2012, 12, 10, 0, 0, tzinfo=CET)

PARTNERS = [
    ("amnesty-poland", "Amnesty International Poland", "PL", ["PL"]),
    ("amnesty-japan", "Amnesty International Japan", "JP", ["JP"]),
    ("amnesty-korea", "Amnesty International Korea", "KR", ["KR"]),
    ("amnesty-canada", "Amnesty International Canada", "CA", ["CA"]),
    ("amnesty-uk", "Amnesty International UK", "GB", ["GB", "IE", "MT", "BM"]),
    ("amnesty-slovenia", "Amnesty International Slovenia", "SI", ["SI", "SK", "CZ", "AT", "CH"]),
    ("amnesty-secretariat", "Amnesty International Secretariat", "GB", []),
    ("viasna", "Human Rights Center Viasna", "BY", []),
]

FIRST_NAMES = [
    "Anna",
    "Jan",
    "Maria",
    "Piotr",
    "Yuki",
    "Min-jun",
    "Emma",
    "Lukas",
    "Sofia",
    "Mateo",
    "Aino",
    "Kwame",
    "Ioana",
    "Olena",
    "Tomás",
    "Chloe",
    "Ji-woo",
    "Ewa",
]
LAST_NAMES = [
    "Nowak",
    "Kowalska",
    "Sato",
    "Kim",
    "Smith",
    "Novak",
    "Virtanen",
    "Mensah",
    "Popescu",
    "Kovalenko",
    "Silva",
    "Brown",
    "Horvat",
    "Rossi",
    "Dubois",
    "Lee",
]
CITIES = {
    "PL": ["Warsaw", "Poznan", "Krakow"],
    "CA": ["Montreal", "Toronto"],
    "JP": ["Tokyo", "Osaka"],
    "KR": ["Seoul"],
    "GB": ["London"],
    "LU": ["Luxembourg"],
    "FI": ["Helsinki"],
    "TG": ["Lome"],
    "PY": ["Asuncion"],
    "ML": ["Bamako"],
}


@dataclass(frozen=True)
class Report:
    """A partner's offline report from the seed article."""

    partner: str
    country: str
    city: str
    action_type: ActionType
    count: int
    at: datetime
    note: str
    channel: Channel = Channel.EVENT


STORY = """Ales Bialiatski founded the Human Rights Center Viasna in Minsk and is a vice-president \
of the International Federation for Human Rights (FIDH). For years Viasna documented \
political persecution in Belarus and helped its victims and their families.

He has been in prison since 4 August 2011. In November 2011 a court in Minsk sentenced him to \
four and a half years in a high-security colony and confiscation of property, for alleged tax \
evasion; the sentence is plainly related to his human rights work. Amnesty International \
declared him a prisoner of conscience.

From the penal colony in Babruysk he reads, learns English and answers a great number of \
letters. "Don't be afraid," he wrote to everyone after his verdict."""

EVENTS = [
    (date(2011, 8, 4), CaseEvent.Kind.ARREST, "Arrested in Minsk."),
    (
        date(2011, 11, 24),
        CaseEvent.Kind.SENTENCE,
        "Sentenced to four and a half years in a high-security colony and confiscation "
        "of property.",
    ),
    (date(2012, 1, 24), CaseEvent.Kind.TRANSFER, "Transferred to the penal colony in Babruysk."),
]


def _reports() -> list[Report]:
    """The offline actions the seed article tells of, and Poland's 24 hours."""
    day = POLAND_DAY_START
    poland_day = [
        Report(
            "amnesty-poland",
            "PL",
            "Warsaw",
            ActionType.LETTER,
            14_250,
            day + timedelta(hours=9),
            "Letter-writing in schools and libraries across Poland",
        ),
        Report(
            "amnesty-poland",
            "PL",
            "Warsaw",
            ActionType.SIGNATURE,
            12_644,
            day + timedelta(hours=13),
            "Paper petitions from the street actions",
            Channel.PAPER,
        ),
        Report(
            "amnesty-poland",
            "PL",
            "Warsaw",
            ActionType.ART,
            1_200,
            day + timedelta(hours=15),
            "Street painting of Ales Bialiatski; graffiti of letters falling into a postbox",
        ),
        Report(
            "amnesty-poland",
            "PL",
            "Poznan",
            ActionType.PHOTO,
            800,
            day + timedelta(hours=17),
            "Photo action in Poznan",
        ),
        Report(
            "amnesty-poland",
            "PL",
            "Warsaw",
            ActionType.CARD,
            2_000,
            day + timedelta(hours=20),
            "Cards and the Calendar of compassion passed to the President",
        ),
    ]
    assert sum(r.count for r in poland_day) == POLAND_DAY  # noqa: S101 - demo data invariant
    at = START + timedelta(days=1)
    return poland_day + [
        Report(
            "amnesty-japan",
            "JP",
            "Tokyo",
            ActionType.ART,
            1_000,
            at + timedelta(days=3),
            "More than 1,000 lanterns lit",
        ),
        Report(
            "amnesty-korea",
            "KR",
            "Seoul",
            ActionType.ART,
            350,
            at + timedelta(days=2),
            "Making lanterns together",
        ),
        Report(
            "amnesty-secretariat",
            "LU",
            "Luxembourg",
            ActionType.ART,
            120,
            at + timedelta(days=3),
            "Water-proof lanterns with portraits sent down the river",
        ),
        Report(
            "amnesty-secretariat",
            "ML",
            "Bamako",
            ActionType.EVENT,
            60,
            at + timedelta(days=4),
            "Activists told passers-by about human rights violations",
        ),
        Report(
            "amnesty-secretariat",
            "TG",
            "Lome",
            ActionType.LETTER,
            240,
            at + timedelta(days=5),
            "Schoolchildren wrote letters to Ales Bialiatski",
        ),
        Report(
            "amnesty-canada",
            "CA",
            "Montreal",
            ActionType.LETTER,
            900,
            at + timedelta(days=2),
            "Volunteers read about Ales before writing to him",
        ),
        Report(
            "amnesty-secretariat",
            "PY",
            "Asuncion",
            ActionType.EVENT,
            150,
            at + timedelta(days=6),
            "Bicycle rally",
        ),
        Report(
            "amnesty-secretariat",
            "PY",
            "Asuncion",
            ActionType.SIGNATURE,
            430,
            at + timedelta(days=6, hours=3),
            "Petitions signed after the rally",
            Channel.PAPER,
        ),
        Report(
            "amnesty-slovenia",
            "SI",
            "Ljubljana",
            ActionType.OTHER,
            300,
            at + timedelta(days=1),
            "Posters in the streets asking passers-by to take part",
        ),
        Report(
            "amnesty-secretariat",
            "FI",
            "Helsinki",
            ActionType.EVENT,
            200,
            at + timedelta(days=3),
            "Street action with candles and portraits",
        ),
        Report(
            "amnesty-uk",
            "GB",
            "London",
            ActionType.EVENT,
            450,
            at + timedelta(days=2),
            "Human Rights Day at the Secretariat in London, with Andrei Sannikau",
        ),
    ]


def _spread(total: int, countries: list[str], rng: random.Random) -> dict[str, int]:
    weights = {code: rng.uniform(0.2, 3.0) for code in countries}
    scale = total / sum(weights.values())
    shares = {code: int(w * scale) for code, w in weights.items()}
    shares[countries[0]] += total - sum(shares.values())
    return shares


def _partner_for(country: str) -> str:
    for slug, _, _, covers in PARTNERS:
        if country in covers:
            return slug
    return "amnesty-secretariat"


def demo_loaded() -> bool:
    return Campaign.objects.filter(slug=SLUG).exists()


@transaction.atomic
def load_demo() -> Campaign:
    """Create the demo case, partners, campaigns and ledger. Call only when not loaded."""
    rng = random.Random(2012)  # noqa: S311 - reproducible demo data
    case = Case.objects.create(
        slug="ales-bialiatski",
        name="Ales Bialiatski",
        country="BY",
        status=Case.Status.SENTENCED,
        headline="Head of the Human Rights Center Viasna, imprisoned for his human rights work.",
        story=STORY,
    )
    CaseName.objects.bulk_create(
        [
            CaseName(case=case, name="Алесь Бяляцкі", language="be", script="Cyrl"),
            CaseName(case=case, name="Алесь Беляцкий", language="ru", script="Cyrl"),
            CaseName(case=case, name="Aleś Bialacki", language="pl", script="Latn"),
        ]
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, date=d, kind=kind, description=text) for d, kind, text in EVENTS
    )
    partners = {
        slug: Partner.objects.create(slug=slug, name=name, country=country)
        for slug, name, country, _ in PARTNERS
    }
    campaign = Campaign.objects.create(
        slug=SLUG,
        title="Write for Rights 2012: Ales Bialiatski",
        slogan="Write for Rights!",
        summary=(
            "Amnesty International's letter marathon, launched on 7 December 2012 on the eve of "
            "Human Rights Day, draws the world's attention to human rights defenders persecuted "
            "for their work. Sign the petition, write to Ales, or tell us what your group did."
        ),
        petition_target="The President of the Republic of Belarus",
        petition_text=(
            "We call on you to release Ales Bialiatski immediately and unconditionally. He is a "
            "prisoner of conscience, held only for his peaceful work for human rights."
        ),
        starts_on=date(2012, 12, 7),
        ends_on=date(2013, 1, 31),
        delivery_deadline=date(2013, 2, 15),
        status=Campaign.Status.LIVE,
        published_at=START,
        goal=100_000,
        action_types=list(ActionType.values),
        languages=["en", "be", "ru", "pl", "uk"],
    )
    campaign.cases.add(case)
    campaign.partners.add(*partners.values())
    load_demo_translations(campaign, case)

    web_total = _web_signatures(campaign, case, rng)
    reports = _reports()
    rest = TOTAL - web_total - sum(r.count for r in reports)
    others = [code for code in COUNTRIES if code != "PL"]
    for index, (code, n) in enumerate(sorted(_spread(rest, others, rng).items())):
        if n > 0:
            when = START + timedelta(days=rng.uniform(0.5, 30))
            reports.append(
                Report(
                    _partner_for(code),
                    code,
                    "",
                    ActionType.SIGNATURE,
                    n,
                    when,
                    f"Marathon tally {index + 1}",
                    Channel.PARTNER,
                )
            )
    by_partner: dict[str, list[ActionInput]] = {}
    for number, report in enumerate(reports, start=1):
        by_partner.setdefault(report.partner, []).append(
            ActionInput(
                occurred_at=report.at,
                utc_offset_minutes=int(
                    (report.at.utcoffset() or timedelta(0)).total_seconds() // 60
                ),
                country=report.country,
                city=report.city,
                action_type=report.action_type,
                count=report.count,
                channel=report.channel,
                external_id=f"demo-2012-{number:03d}",
                note=report.note,
            )
        )
    for slug, rows in by_partner.items():
        record_actions(campaign, partners[slug], rows, source=Source.DEMO)
    rebuild_tallies(campaign.pk)
    load_demo_events(campaign)
    _petition_campaign(case, partners["viasna"])
    load_demo_posts(case)
    load_demo_mail(case)
    load_demo_letters(case, campaign)
    load_demo_registry()
    return campaign


def _web_signatures(campaign: Campaign, case: Case, rng: random.Random) -> int:
    span = (END - START).total_seconds()
    quiet_from = POLAND_DAY_START - timedelta(hours=36)
    quiet_to = POLAND_DAY_START + timedelta(hours=60)
    signatures, actions = [], []
    for number in range(WEB_SIGNATURES):
        country = "PL" if number % 5 == 0 else rng.choice(COUNTRIES)
        at = START + timedelta(seconds=rng.uniform(0, span))
        if country == "PL" and quiet_from <= at < quiet_to:
            at += quiet_to - quiet_from
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = f"supporter{number}@example.org"
        display = rng.choice(list(Signature.NameDisplay))
        action = Action(
            campaign=campaign,
            case=case,
            action_type=ActionType.SIGNATURE,
            count=1,
            country=country,
            city=rng.choice(CITIES.get(country, [""])),
            occurred_at=at,
            channel=Channel.ONLINE,
            source=Source.DEMO,
        )
        actions.append(action)
        signatures.append(
            Signature(
                campaign=campaign,
                name=name,
                name_display=display,
                country=country,
                city=action.city,
                consent_letter=rng.random() < 0.7,
                consent_contact=rng.random() < 0.3,
                email_hash=email_dedupe_hash(email),
                email_sealed=seal(email),
                confirmed_at=None,
                action=action,
            )
        )
    Action.objects.bulk_create(actions)
    for signature, action in zip(signatures, actions, strict=True):
        signature.action = action
    Signature.objects.bulk_create(signatures)
    return len(actions)


def _petition_campaign(case: Case, partner: Partner) -> None:
    """Seed 003: a petition "before 12 July", confirmed by email, posted at the end of July."""
    campaign = Campaign.objects.create(
        slug="message-to-ales-2013",
        title="Send a message to Ales Bialiatski before 12 July",
        slogan="A message from the world outside means a lot",
        summary=(
            "Sign before 12 July to add your name to the letter. It will be sent by regular "
            "mail at the end of July."
        ),
        petition_target="Ales Bialiatski, penal colony No. 2, Babruysk",
        petition_text="Ales, we stand with you. You are not forgotten.",
        starts_on=date(2013, 6, 1),
        ends_on=date(2013, 7, 12),
        delivery_deadline=date(2013, 7, 31),
        status=Campaign.Status.LIVE,
        requires_confirmation=True,
        action_types=[ActionType.SIGNATURE.value],
        languages=["en", "be", "ru"],
    )
    campaign.cases.add(case)
    campaign.partners.add(partner)
