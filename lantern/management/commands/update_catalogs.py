"""Refresh every app's translation catalogs from the code, then compile them.

`makemessages` with Lantern's options for each shipped language (the .po files of each
app's locale/ folder; apps without one go to lantern/locale), then `compilemessages`. Needs
GNU gettext (apt-get install gettext); see docs/TRANSLATING.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

IGNORED = [".venv", "var", "test-artifacts", "node_modules", "*/tests/*", "conftest.py", "bench"]


def shipped_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def makemessages_options() -> dict[str, Any]:
    return {
        "locale": shipped_languages(),
        "extensions": ["html", "txt", "py", "svg"],
        "ignore_patterns": IGNORED,
        "no_obsolete": True,
        "add_location": "file",
        "verbosity": 0,
    }


class Command(BaseCommand):
    help = "Update the .po catalogs of every app from the code and compile them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-compile", action="store_true", help="Only update the .po files.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("makemessages", **makemessages_options())
        if not options["no_compile"]:
            call_command("compilemessages", ignore_patterns=IGNORED, verbosity=0)
        self.stdout.write("Catalogs updated. Translate the empty entries, then run this again.")
