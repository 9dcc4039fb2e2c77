"""Round trip: what a group collects on the paper sheet, typed into the CSV with the sheet's
own columns, imports through `manage.py import_actions` with the partner's provenance."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from actions.models import Action, ImportBatch
from actions.rows import FIELDS
from actions.tallies import read_totals
from conftest import Cast
from kit.pieces import PIECES
from kit.services import build_piece, kit_spec
from kit.tests.factories import make_kit_campaign
from lantern.tests.pdftools import pdf_pages

pytestmark = pytest.mark.django_db
PRINTED = re.compile(r"^(\S+) (\S+) (\S+) ([A-Z2-9]{6}-\d\d)$")
# What three signers wrote on their lines, and the UTC offset the group noted at the top.
SIGNERS = [
    ("2012-12-10 18:30", "Poland", "Warszawa"),
    ("2012-12-10 18:41", "PL", "Łódź"),
    ("2012-12-10 19:02", "Ukraine", "Lviv"),
]


def typed_in(page: str, path: Path) -> int:
    """Type the sheet into a CSV as a volunteer would: the header row as printed, the printed
    cells as they are, the signers' cells as they wrote them. Returns the rows typed."""
    (header,) = [line for line in page.splitlines() if line.startswith(FIELDS[0])]
    columns = header.split()[: len(FIELDS)]
    printed = [PRINTED.match(line) for line in page.splitlines()]
    lines = [m.groups() for m in printed if m]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for (written_at, country, city), (kind, count, channel, external_id) in zip(
            SIGNERS, lines, strict=False
        ):
            row = {
                "occurred_at": f"{written_at}+01:00",
                "country": country,
                "city": city,
                "action_type": kind,
                "count": count,
                "channel": channel,
                "external_id": external_id,
                "note": "",
            }
            writer.writerow([row[name] for name in columns])
    return len(SIGNERS)


def test_a_filled_in_sheet_imports_with_the_partners_provenance_once(
    cast: Cast, tmp_path: Path
) -> None:
    campaign = make_kit_campaign(cast.partner)
    pdf = build_piece(
        PIECES["petition"], kit_spec(campaign, campaign.cases.get(), "pl", cast.partner)
    )
    path = tmp_path / "sheet.csv"
    typed = typed_in(pdf_pages(pdf)[0], path)

    for _ in range(2):  # typed in and sent twice: recorded once
        call_command(
            "import_actions",
            str(path),
            campaign=campaign.slug,
            partner=cast.partner.slug,
            no_progress=True,
            stdout=io.StringIO(),
        )

    actions = Action.objects.filter(campaign=campaign).order_by("occurred_at")
    assert actions.count() == typed
    assert {(a.partner_id, a.source, a.channel, a.action_type, a.count) for a in actions} == {
        (cast.partner.pk, "import", "paper", "signature", 1)
    }
    assert [a.city for a in actions] == ["Warszawa", "Łódź", "Lviv"]
    assert [a.country for a in actions] == ["PL", "PL", "UA"]
    assert all(
        a.import_batch is not None and a.import_batch.filename == "sheet.csv" for a in actions
    )
    assert ImportBatch.objects.filter(partner=cast.partner).count() >= 1
    assert read_totals(campaign.pk).total == typed
