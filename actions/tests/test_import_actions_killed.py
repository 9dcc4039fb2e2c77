"""`manage.py import_actions` SIGKILLed while it writes a large file: nothing of the file is
stored; the same command run again stores every row, once.

The command runs as a process on its own PostgreSQL database; it is killed while its
connection is inserting rows into the ledger (seen in pg_stat_activity), which is inside the
import's one transaction whichever way it writes (COPY, or one INSERT ... SELECT).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db.models import Sum

from actions.models import Action, ImportBatch, Tally
from actions.tallies import read_totals
from lantern.testing import make_campaign, make_partner
from lantern.tests.faults import FaultDatabase, Process, manage, writing_ledger_rows
from reports.services import campaign_report

pytestmark = pytest.mark.postgres_only

HEADER = "occurred_at,country,city,action_type,count,channel,external_id,note"
COUNTRIES = ["PL", "Japan", "BY", "the Czech Republic", "SE", "Germany", "UA", "the UK"]
TYPES = ["letter", "signature", "event", "art", "card"]
# Tried in turn until the import is caught writing (a faster import needs a larger file).
SIZES = (20_000, 80_000, 300_000)


def large_file(path: Path, rows: int) -> tuple[Path, int]:
    """A partner's CSV of `rows` rows; returns it and the number of actions it reports."""
    start = datetime(2012, 12, 7, 9, tzinfo=UTC)
    total = 0
    lines = [HEADER]
    for n in range(rows):
        count = 1 + n % 97
        total += count
        when = (start + timedelta(minutes=n)).isoformat()
        country, kind = COUNTRIES[n % len(COUNTRIES)], TYPES[n % len(TYPES)]
        lines.append(f"{when},{country},,{kind},{count},event,row-{n:07d},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, total


def killed_while_writing(importer: Process, database: str, deadline: float) -> bool:
    """Kill the importer while it inserts ledger rows: True, or False if it finished first."""
    while time.monotonic() < deadline:
        if writing_ledger_rows(database):
            importer.kill()
            return True
        if not importer.running():
            return False
        time.sleep(0.005)
    raise AssertionError(f"the import wrote nothing in time:\n{importer.output()[-2000:]}")


def test_import_killed_while_writing_stores_nothing_and_the_rerun_everything_once(
    fault_database: FaultDatabase, tmp_path: Path
) -> None:
    env = fault_database.env()
    deadline = time.monotonic() + 150
    for attempt, size in enumerate(SIZES):
        with fault_database.as_default():
            partner = make_partner(slug=f"amnesty-poland-{attempt}")
            campaign = make_campaign(slug=f"write-for-rights-{attempt}", partners=[partner])
        path, reported = large_file(tmp_path / f"actions-{size}.csv", size)
        args = [str(path), "--campaign", campaign.slug, "--partner", partner.slug]
        importer = Process(["import_actions", *args], env, tmp_path / f"import-{size}.log")
        importer.start()
        if killed_while_writing(importer, fault_database.name, deadline):
            break
        assert importer.wait(timeout=120) == 0, importer.output()
    else:
        pytest.fail(f"every import finished before it could be killed (sizes {SIZES})")
    importer.wait(timeout=30)
    assert importer.popen is not None and importer.popen.returncode == -9

    with fault_database.as_default():
        assert not Action.objects.filter(partner=partner).exists(), "nothing of the file"
        assert not ImportBatch.objects.filter(partner=partner).exists()
        assert read_totals(campaign.pk).total == 0

    again = manage(["import_actions", *args, "--no-progress"], env, timeout=300)
    assert f"Imported {size:,} new action row(s)" in again
    once_more = manage(["import_actions", *args, "--no-progress"], env, timeout=300)
    assert "Imported 0 new action row(s)" in once_more
    assert f"{size:,} were already recorded" in once_more

    with fault_database.as_default():
        actions = Action.objects.filter(partner=partner, campaign=campaign)
        assert actions.count() == size
        assert actions.values("external_id").distinct().count() == size
        assert actions.aggregate(n=Sum("count"))["n"] == reported
        batches = ImportBatch.objects.filter(partner=partner)
        assert sorted(batches.values_list("rows_in_file", "rows_added")) == [
            (size, 0),  # the third run: every row already recorded
            (size, size),
        ]
        tallied = Tally.objects.filter(campaign=campaign).aggregate(n=Sum("count"))["n"]
        assert read_totals(campaign.pk).total == tallied == reported
        assert campaign_report(campaign).total == reported
