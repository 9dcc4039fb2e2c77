from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from tqdm import tqdm

from actions.management.commands.import_actions import _BarOutput, _retotal
from lantern.countries import resolve_country
from registry.models import Change, Source
from registry.services import import_registry


def _moment(text: str) -> datetime:
    """An ISO date or time; a date means its start, a time without offset means UTC."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Import or refresh a registry of prisoners from a rights group's list, CSV or JSON "
        "(see docs/REGISTRY.md). All rows or none; prints what changed since the last list."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="the source's slug, e.g. viasna")
        parser.add_argument(
            "--publisher", help="who publishes the list (to create the source on first import)"
        )
        parser.add_argument("--name", default="Political prisoners", help="the list's name")
        parser.add_argument("--country", help="ISO code for rows without one (new source)")
        parser.add_argument("--language", default="be", help="language of the local names")
        parser.add_argument("--url", default="", help="where the list is published")
        parser.add_argument(
            "--retrieved-at", type=_moment, help="when it was downloaded (ISO; default: now)"
        )
        parser.add_argument("--published-on", type=date.fromisoformat, help="the list's date")
        parser.add_argument("--format", choices=["csv", "json"], help="default: the extension")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bars")

    def _source(self, options: dict[str, Any]) -> Source:
        found = Source.objects.filter(slug=options["source"]).first()
        if found is not None:
            return found
        if not options["publisher"] or not options["country"]:
            raise CommandError(
                f"No source {options['source']!r} yet: give --publisher and --country to create it."
            )
        country = resolve_country(options["country"])
        if country is None:
            raise CommandError(f"{options['country']!r} is not a country.")
        return Source.objects.create(
            slug=options["source"],
            name=options["name"],
            publisher=options["publisher"],
            country=country,
            language=options["language"],
            url=options["url"],
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        source = self._source(options)
        hide = options["no_progress"]
        bars = _BarOutput(self.stderr)
        checking = tqdm(desc="Checking", unit=" rows", disable=hide, file=bars)
        writing = tqdm(desc="Writing ", unit=" rows", disable=hide, file=bars)

        def total(rows: int) -> None:
            _retotal(checking, rows)
            _retotal(writing, rows)

        result = import_registry(
            path.read_bytes(),
            source=source,
            filename=path.name,
            fmt=options["format"],
            retrieved_at=options["retrieved_at"],
            published_on=options["published_on"],
            on_total=total,
            on_checked=lambda: checking.update(1),
            on_written=writing.update,
        )
        checking.close()
        writing.close()
        if not result.ok or result.observation is None:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(result.errors)} problem(s) in {path.name}.")
        observation = result.observation
        counts = dict(
            Change.objects.filter(observation=observation)
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        summary = ", ".join(
            f"{counts[kind]} {str(label).lower()}"
            for kind, label in Change.Kind.choices
            if kind in counts
        )
        self.stdout.write(
            f"Imported {observation.rows:,} prisoner(s) from {source.publisher}'s list "
            f"retrieved {observation.retrieved_at:%Y-%m-%d %H:%M}: {summary or 'nothing changed'}."
        )
        self.stdout.write(f"What changed: /registry/observations/{observation.pk}/")
