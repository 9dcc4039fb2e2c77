"""A partner's data, out: its actions and its consenting supporters as CSV or XLSX, and its
petitions and signatures in the OSDI shape (Open Supporter Data Interface).

A partner only ever gets its own rows: actions it reported or that came through it, and
signatures attributed to it whose signer agreed to be contacted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet

from actions.models import Action
from campaigns.models import Campaign
from lantern.privacy import sealed_for_transport
from lantern.sealing import sealed_fingerprint
from partners.models import Partner
from petitions.models import Signature

Cell = str | int | None


@dataclass(frozen=True)
class Table:
    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]


def partner_actions(partner: Partner) -> QuerySet[Action]:
    return (
        Action.objects.filter(partner=partner)
        .select_related("campaign", "case")
        .order_by("-occurred_at", "-pk")
    )


def consenting_signatures(partner: Partner) -> QuerySet[Signature]:
    """Counted signatures that came through the partner and agreed to be contacted."""
    return (
        Signature.objects.filter(partner=partner, consent_contact=True, action__isnull=False)
        .select_related("campaign")
        .order_by("-created_at", "-pk")
    )


ACTION_HEADER = (
    "id",
    "campaign",
    "case",
    "action_type",
    "count",
    "country",
    "city",
    "occurred_at",
    "channel",
    "source",
    "external_id",
    "note",
    "recorded_at",
)


def _time(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat() if value else ""


def action_rows(actions: QuerySet[Action]) -> Iterator[list[Cell]]:
    for a in actions.iterator(chunk_size=2000):
        yield [
            a.pk,
            a.campaign.slug,
            a.case.slug if a.case else "",
            a.action_type,
            a.count,
            a.country,
            a.city,
            _time(a.occurred_at),
            a.channel,
            a.source,
            a.external_id or "",
            a.note,
            _time(a.created_at),
        ]


# The address is sealed to the partner's public key; `lantern/sealing.py unseal` opens it on
# the partner's machine (docs/PARTNERS.md). Empty until the partner has set a key.
SUPPORTER_HEADER = (
    "name",
    "email_sealed",
    "sealed_to",
    "country",
    "city",
    "campaign",
    "consent_letter",
    "signed_at",
    "confirmed_at",
)


def supporter_rows(signatures: QuerySet[Signature]) -> Iterator[list[Cell]]:
    for s in signatures.iterator(chunk_size=2000):
        sealed = s.partner_email_sealed
        yield [
            s.name,
            sealed_for_transport(sealed),
            sealed_fingerprint(sealed) or "" if sealed else "",
            s.country,
            s.city,
            s.campaign.slug,
            "yes" if s.consent_letter else "no",
            _time(s.created_at),
            _time(s.confirmed_at),
        ]


def actions_table(partner: Partner) -> Table:
    return Table("actions", ACTION_HEADER, action_rows(partner_actions(partner)))


def supporters_table(partner: Partner) -> Table:
    return Table("supporters", SUPPORTER_HEADER, supporter_rows(consenting_signatures(partner)))


def _safe_cell(value: Cell) -> Cell:
    """Spreadsheets run text starting with = + - @ as a formula: keep such text as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read UTF-8


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name)
    sheet.append(list(table.header))
    for row in table.rows:
        sheet.append([_safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- OSDI ---------------------------------------------------------------------------------
# The shapes follow the OSDI 1.x specification: a collection is a HAL document with
# `total_records`, `_links` and `_embedded` holding `osdi:petitions` or `osdi:signatures`;
# a signature embeds the signer as `osdi:person` with `given_name`, `family_name`,
# `email_addresses` and `postal_addresses`.

OSDI_CURIES = [
    {"name": "osdi", "href": "https://opensupporter.github.io/osdi-docs/{rel}", "templated": True}
]


def _identifier(kind: str, pk: int) -> str:
    return f"lantern:{kind}-{pk}"


def osdi_petition(campaign: Campaign, base: str, signature_count: int) -> dict[str, Any]:
    href = f"{base}/petitions/{campaign.slug}"
    return {
        "identifiers": [_identifier("campaign", campaign.pk)],
        "origin_system": "Lantern",
        "created_date": _time(campaign.created_at),
        "modified_date": _time(campaign.updated_at),
        "name": campaign.slug,
        "title": campaign.title,
        "description": campaign.summary,
        "petition_text": campaign.petition_text,
        "browser_url": "",
        "total_signatures": signature_count,
        "target": [{"name": campaign.petition_target}] if campaign.petition_target else [],
        "_links": {
            "self": {"href": href},
            "osdi:signatures": {"href": f"{href}/signatures"},
        },
    }


def _split_name(name: str) -> tuple[str, str]:
    given, _, family = name.strip().partition(" ")
    return given, family.strip()


def osdi_signature(signature: Signature, base: str) -> dict[str, Any]:
    given, family = _split_name(signature.name)
    petition = f"{base}/petitions/{signature.campaign.slug}"
    person: dict[str, Any] = {
        "identifiers": [_identifier("signer", signature.pk)],
        "given_name": given,
        "family_name": family,
        # The server cannot read the address: it is handed out sealed to the partner's key.
        "email_addresses": [],
        "postal_addresses": [
            {"locality": signature.city, "country": signature.country, "primary": True}
        ],
        "custom_fields": {
            "lantern_email_sealed": sealed_for_transport(signature.partner_email_sealed),
            "lantern_sealed_to": sealed_fingerprint(signature.partner_email_sealed or b"") or "",
        },
    }
    return {
        "identifiers": [_identifier("signature", signature.pk)],
        "origin_system": "Lantern",
        "created_date": _time(signature.created_at),
        "modified_date": _time(signature.confirmed_at or signature.created_at),
        "comments": "",
        "_links": {
            "self": {"href": f"{petition}/signatures/{signature.pk}"},
            "osdi:petition": {"href": petition},
        },
        "_embedded": {"osdi:person": person},
    }


def osdi_petitions(partner: Partner, base: str) -> dict[str, Any]:
    """The partner's campaigns that take signatures, as an OSDI petitions collection."""
    signatures = consenting_signatures(partner)
    counts: dict[int, int] = {}
    for campaign_id in signatures.values_list("campaign_id", flat=True):
        counts[campaign_id] = counts.get(campaign_id, 0) + 1
    campaigns = [
        c
        for c in partner.campaigns.exclude(status=Campaign.Status.DRAFT).order_by("-starts_on")
        if "signature" in c.action_types
    ]
    petitions = [osdi_petition(c, base, counts.get(c.pk, 0)) for c in campaigns]
    return {
        "total_records": len(petitions),
        "total_pages": 1,
        "page": 1,
        "per_page": max(len(petitions), 1),
        "_links": {"self": {"href": f"{base}/petitions"}, "curies": OSDI_CURIES},
        "_embedded": {"osdi:petitions": petitions},
    }


def osdi_signatures(
    partner: Partner, base: str, campaign: Campaign | None = None
) -> dict[str, Any]:
    """The partner's consenting signers (of one campaign, or all), as OSDI signatures."""
    signatures = consenting_signatures(partner)
    if campaign is not None:
        signatures = signatures.filter(campaign=campaign)
    items = [osdi_signature(s, base) for s in signatures]
    href = f"{base}/petitions/{campaign.slug}/signatures" if campaign else f"{base}/signatures"
    return {
        "total_records": len(items),
        "total_pages": 1,
        "page": 1,
        "per_page": max(len(items), 1),
        "_links": {"self": {"href": href}, "curies": OSDI_CURIES},
        "_embedded": {"osdi:signatures": items},
    }


def osdi_export(partner: Partner, base: str) -> dict[str, Any]:
    """One document with both collections: what the partner area offers as a download."""
    petitions = osdi_petitions(partner, base)
    signatures = osdi_signatures(partner, base)
    return {
        "origin_system": "Lantern",
        "partner": partner.slug,
        "_links": {"self": {"href": f"{base}/osdi"}, "curies": OSDI_CURIES},
        "_embedded": {
            "osdi:petitions": petitions["_embedded"]["osdi:petitions"],
            "osdi:signatures": signatures["_embedded"]["osdi:signatures"],
        },
        "total_records": petitions["total_records"] + signatures["total_records"],
    }
