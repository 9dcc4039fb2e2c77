"""`manage.py import_registry`: a source made on first import, a summary of what changed, and
every bad row on stderr with nothing imported."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from registry.models import Observation, Prisoner, Source
from registry.tests.conftest import FIRST, ROWS_WITH_A_BAD_ONE, SECOND

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_registry", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_first_import_makes_the_source_and_a_refresh_says_what_changed() -> None:
    out, err = run(
        str(FIRST),
        "--source=viasna",
        "--publisher=Human Rights Center Viasna",
        "--country=Belarus",
        "--retrieved-at=2026-10-01",
    )
    assert (
        "Imported 20 prisoner(s) from Human Rights Center Viasna's list retrieved 2026-10-01" in out
    )
    assert "20 new on the list" in out
    assert "Checking" in err and "20/20" in err  # the progress bars
    source = Source.objects.get(slug="viasna")
    assert (source.country, source.language) == ("BY", "be")

    out, _ = run(str(SECOND), "--source=viasna", "--no-progress", "--published-on=2026-10-28")

    assert "Imported 21 prisoner(s)" in out
    assert "1 transferred" in out and "1 released" in out and "1 gone from the list" in out
    observation = Observation.objects.order_by("-retrieved_at").first()
    assert observation is not None and str(observation.published_on) == "2026-10-28"
    assert f"/registry/observations/{observation.pk}/" in out


def test_bad_rows_go_to_stderr_and_nothing_is_imported(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(ROWS_WITH_A_BAD_ONE)
    Source.objects.create(slug="viasna", name="List", publisher="Viasna", country="BY")
    err = StringIO()

    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_registry", str(path), "--source=viasna", stdout=StringIO(), stderr=err)

    assert "line 3: status is missing" in err.getvalue()
    assert not Prisoner.objects.exists()


def test_an_unknown_source_needs_its_publisher() -> None:
    with pytest.raises(CommandError, match="give --publisher and --country"):
        run(str(FIRST), "--source=nobody")
