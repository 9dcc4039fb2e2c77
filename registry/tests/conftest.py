"""Fixtures for the registry's tests: Viasna's list as a source, the sample files, prisoners
at a colony, and small builders for lists and letters."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from cases.models import AddressPeriod, Case, Facility
from lantern.testing import make_campaign
from letters.models import Letter
from letters.tests.conftest import colony
from registry.demo import FIRST, SECOND
from registry.models import Drive, Prisoner, Source
from registry.rows import COLUMNS
from registry.services import ImportResult, import_registry, start_drive

SAMPLES = FIRST.parent
# A list whose second row (line 3) has no status.
ROWS_WITH_A_BAD_ONE = (
    "id,name,name_latin,status\n"
    "x-1,Сцяпан Прыкладны,Sciapan Prykladny,sentenced\n"
    "x-2,Ян Выдуманы,Yan Vydumany,\n"
).encode()
BABRUYSK = ["Исправительная колония № 2", "ул. Камышовая, 2", "213800 г. Бобруйск", "БЕЛАРУСЬ"]


@pytest.fixture
def source(db: None) -> Source:
    return Source.objects.create(
        slug="viasna",
        name="Political prisoners",
        publisher="Human Rights Center Viasna",
        country="BY",
        language="be",
    )


def days_ago(n: int) -> datetime:
    return timezone.now() - timedelta(days=n)


def load(
    source: Source, path: Path | str, *, data: bytes | None = None, ago: int = 0, **kwargs: Any
) -> ImportResult:
    """Import a sample file (or `data` under that file name), retrieved `ago` days ago."""
    name = Path(path).name
    raw = data if data is not None else (SAMPLES / name).read_bytes()
    return import_registry(raw, source=source, filename=name, retrieved_at=days_ago(ago), **kwargs)


def sample_rows(path: Path = FIRST) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def to_csv(rows: Iterable[Mapping[str, object]], columns: Iterable[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in writer.fieldnames})
    return out.getvalue().encode()


def to_json(rows: list[Any]) -> bytes:
    return json.dumps({"prisoners": rows}, ensure_ascii=False, indent=2).encode()


def prisoner(key: str) -> Prisoner:
    return Prisoner.objects.select_related("case").get(key=key)


def case_of(key: str) -> Case:
    return prisoner(key).case


@pytest.fixture
def drive(db: None) -> Drive:
    """An open card drive, posted in 20 days, in a live campaign that collects cards."""
    campaign = Campaign.objects.create(
        slug="new-year-greetings",
        title="New Year greetings",
        starts_on=timezone.localdate(),
        status=Campaign.Status.LIVE,
        action_types=["card"],
    )
    return start_drive(
        Drive(
            slug="new-year",
            title="New Year greetings, posted by 21 December",
            invitation="Wish them good health.",
            campaign=campaign,
            post_by=timezone.localdate() + timedelta(days=20),
            max_chars=200,
        ),
        user=None,
    )


def add_prisoner(
    source: Source, facility: Facility | None, *, key: str, name: str = "", **case_fields: Any
) -> Case:
    """A registry prisoner held at `facility` (none: no address), without an import."""
    from registry.models import Observation

    observation = Observation.objects.filter(source=source).first() or Observation.objects.create(
        source=source,
        retrieved_at=days_ago(1),
        filename="list.csv",
        sha256="0" * 64,
        format="csv",
        state=Observation.State.DONE,
    )
    values: dict[str, Any] = {
        "slug": key,
        "name": name or key.replace("-", " ").title(),
        "country": "BY",
        "status": Case.Status.SENTENCED,
    }
    values.update(case_fields)
    case = Case.objects.create(**values)
    Prisoner.objects.create(
        case=case, source=source, key=key, first_seen=observation, last_seen=observation
    )
    if facility is not None:
        AddressPeriod.objects.create(
            case=case,
            facility=facility,
            valid_from=date(2022, 1, 1),
            address_lines="\n".join(BABRUYSK),
            recipient_line=f"{case.name}, 1980",
        )
    return case


@pytest.fixture
def marathon(db: None, colony: Facility) -> Campaign:
    """A live campaign for a Belarusian case: it offers Belarus's registry prisoners."""
    from lantern.testing import make_case

    featured = make_case(slug="featured", name="Featured Case", country="BY")
    AddressPeriod.objects.create(
        case=featured,
        facility=colony,
        valid_from=date(2022, 1, 1),
        address_lines="\n".join(BABRUYSK),
        recipient_line="Featured Case, 1970",
    )
    return make_campaign(slug="marathon", title="Write for Rights", cases=[featured])


def letters_to(case: Case, n: int, *, campaign: Campaign, **fields: Any) -> list[Letter]:
    """`n` letters written to `case` lately, approved (ready for the mail desk)."""
    values: dict[str, Any] = {
        "campaign": campaign,
        "case": case,
        "text": "Дарагі сябра, мы памятаем пра вас.",
        "language": "be",
        "author_name": "Zofia Nowak",
        "author_country": "PL",
        "status": Letter.Status.APPROVED,
    }
    values.update(fields)
    return [Letter.objects.create(**values) for _ in range(n)]


__all__ = [
    "colony",
    "BABRUYSK",
    "FIRST",
    "ROWS_WITH_A_BAD_ONE",
    "SECOND",
    "add_prisoner",
    "case_of",
    "days_ago",
    "letters_to",
    "load",
    "prisoner",
    "sample_rows",
    "to_csv",
    "to_json",
]
