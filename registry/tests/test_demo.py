"""The registry's demo: two lists a refresh apart, a kept correction, an open card drive."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from cases.models import AddressPeriod, CaseName, Facility
from lantern.testing import make_case
from registry.demo import load_demo_registry, next_posting_day
from registry.models import Change, Observation, Prisoner
from registry.services import drive_counts, drive_is_open
from registry.tests.conftest import BABRUYSK

pytestmark = pytest.mark.django_db


def test_the_demo_loads_both_lists_a_kept_correction_and_an_open_drive() -> None:
    ales = make_case(slug="ales-bialiatski", name="Ales Bialiatski", country="BY")
    CaseName.objects.create(case=ales, name="Алесь Бяляцкі", language="be", script="Cyrl")
    AddressPeriod.objects.create(
        case=ales,
        facility=Facility.objects.create(name="Penal colony No. 2, Babruysk", country="BY"),
        valid_from=date(2012, 1, 24),
        address_lines="\n".join(BABRUYSK),
        recipient_line="Бяляцкі Алесь Віктаравіч, 1962 г.н.",
    )

    drive = load_demo_registry()

    assert Observation.objects.filter(state="done").count() == 2
    assert Prisoner.objects.get(key="viasna-0001").case == ales
    kept = Change.objects.get(kind="disagrees")
    assert (kept.prisoner.key, kept.field, kept.old, kept.new) == (
        "viasna-0002",
        "birth_year",
        "1986",
        "1985",
    )
    assert drive_is_open(drive)
    assert drive.post_by == next_posting_day(timezone.localdate())
    assert (drive.post_by.month, drive.post_by.day) == (12, 21)
    counts = drive_counts(drive)
    assert counts.reached == 8 and counts.without == counts.group - 8


def test_the_posting_day_is_the_coming_21_december_with_a_week_to_write() -> None:
    assert next_posting_day(date(2026, 12, 1)) == date(2026, 12, 21)
    assert next_posting_day(date(2026, 12, 14)) == date(2026, 12, 21)
    assert next_posting_day(date(2026, 12, 15)) == date(2027, 12, 21)
