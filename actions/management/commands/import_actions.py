from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from actions.services import import_actions_csv
from campaigns.models import Campaign
from partners.models import Partner


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return max(
            sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0
        )


class _BarOutput:
    """stderr for tqdm: it redraws a bar in place with "\\r", so no newline after each write."""

    def __init__(self, out: OutputWrapper) -> None:
        self._out = out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)

    def write(self, text: str) -> None:
        self._out.write(text, ending="")


def _retotal(bar: tqdm[Any], total: int) -> None:
    """Rows already recorded are not written again: the bar counts the new ones only."""
    bar.total = total
    bar.refresh()


class Command(BaseCommand):
    help = (
        "Import a partner's offline actions from CSV (see docs/IMPORT.md). All rows or none: "
        "a file with any bad row imports nothing and lists every bad row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--campaign", required=True, help="campaign slug")
        parser.add_argument("--partner", required=True, help="partner slug")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            campaign = Campaign.objects.get(slug=options["campaign"])
        except Campaign.DoesNotExist:
            raise CommandError(f"No campaign with slug {options['campaign']!r}.") from None
        try:
            partner = Partner.objects.get(slug=options["partner"])
        except Partner.DoesNotExist:
            raise CommandError(f"No partner with slug {options['partner']!r}.") from None
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")

        rows = _count_lines(path)
        hide = options["no_progress"]
        bars = _BarOutput(self.stderr)
        checking = tqdm(total=rows, desc="Checking", unit=" rows", disable=hide, file=bars)
        writing = tqdm(total=rows, desc="Writing ", unit=" rows", disable=hide, file=bars)
        with path.open("rb") as data:
            result = import_actions_csv(
                data,
                campaign=campaign,
                partner=partner,
                filename=path.name,
                on_checked=checking.update,
                on_written=writing.update,
                on_planned=lambda new: _retotal(writing, new),
            )
        checking.close()
        writing.close()
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(result.errors)} bad row(s) in {path.name}.")
        self.stdout.write(
            f"Imported {result.added:,} new action row(s) for {partner.name} into "
            f"{campaign.title}; {result.already_recorded:,} were already recorded."
        )
