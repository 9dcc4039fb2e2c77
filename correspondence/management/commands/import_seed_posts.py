from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cases.models import Case
from correspondence.demo import SEED_FILE
from correspondence.seed import import_archive, parse_archive


class Command(BaseCommand):
    help = "Publish the posts of an archive page like seed document 003 for one case (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=SEED_FILE)
        parser.add_argument("--case", required=True, help="The case's slug.")
        parser.add_argument("--language", default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        case = Case.objects.filter(slug=options["case"]).first()
        if case is None:
            raise CommandError(_("No case with the slug %(slug)s.") % {"slug": options["case"]})
        try:
            text = options["file"].read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(str(error)) from error
        archive = parse_archive(text)
        created = import_archive(archive, case, language=options["language"])
        self.stdout.write(
            f"Imported {len(created)} of {len(archive.posts)} posts tagged “{archive.tag}”."
        )
