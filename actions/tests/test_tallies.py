from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from actions.models import Tally
from actions.tallies import add_to_tally, read_totals, rebuild_tallies
from lantern.testing import make_campaign
from petitions.services import SignatureInput, sign_petition

pytestmark = pytest.mark.django_db


def test_tally_spreads_writes_over_shards_and_sums_them(settings: object) -> None:
    settings.TALLY_SHARDS = 4  # type: ignore[attr-defined]
    campaign = make_campaign()
    for _ in range(60):
        add_to_tally(campaign.pk, [("PL", "signature", 1), ("JP", "letter", 2)])
    shards = set(Tally.objects.filter(campaign=campaign).values_list("shard", flat=True))
    assert len(shards) > 1
    totals = read_totals(campaign.pk)
    assert totals.by_country == [("JP", 120), ("PL", 60)]
    assert totals.total == 180


def test_rebuild_makes_a_damaged_tally_equal_the_ledger() -> None:
    campaign = make_campaign()
    for n in range(5):
        sign_petition(campaign, SignatureInput(name="S", email=f"s{n}@x.org", country="CA"))
    Tally.objects.filter(campaign=campaign).update(count=999)
    out = StringIO()
    call_command("rebuild_tallies", campaign.slug, stdout=out)
    assert f"{campaign.slug}: 5" in out.getvalue()
    assert read_totals(campaign.pk).total == 5
    assert rebuild_tallies(campaign.pk) == 5


def test_totals_read_in_one_query(django_assert_num_queries: object) -> None:
    campaign = make_campaign()
    add_to_tally(campaign.pk, [("PL", "signature", 3)])
    with django_assert_num_queries(1):  # type: ignore[operator]  # pytest-django fixture
        read_totals(campaign.pk)
