"""Serve Lantern in production: granian's WSGI server, several worker processes.

The one way Lantern is served outside development: `make serve`, the fault tests and the
benchmarks all start the server through this command, so that they measure and test what
production runs. Workers, threads and the address come from settings (`WEB_*` in
.env.example); granian's own `GRANIAN_*` variables tune the rest.

Static files are served by WhiteNoise inside the application; run `collectstatic` first.
The background worker (`manage.py db_worker`) is a separate process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def granian_argv(host: str, port: int, workers: int, threads: int) -> list[str]:
    """The command line that serves `lantern.wsgi:application` with granian."""
    granian = Path(sys.executable).with_name("granian")
    return [
        str(granian),
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--backpressure",
        str(settings.WEB_BACKPRESSURE),
        "--respawn-failed-workers",
        "--no-ws",
        "--log-level",
        "warning",
        "--working-dir",
        str(settings.BASE_DIR),
        "lantern.wsgi:application",
    ]


class Command(BaseCommand):
    help = "Serve Lantern with granian (production WSGI server, several worker processes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.WEB_HOST)
        parser.add_argument("--port", type=int, default=settings.WEB_PORT)
        parser.add_argument("--workers", type=int, default=settings.WEB_WORKERS)
        parser.add_argument("--threads", type=int, default=settings.WEB_THREADS)

    def handle(self, *args: Any, **options: Any) -> None:
        argv = granian_argv(
            options["host"], options["port"], options["workers"], options["threads"]
        )
        if not Path(argv[0]).exists():
            raise CommandError(f"granian is not installed in this environment ({argv[0]}).")
        self.stdout.write(
            f"Serving Lantern on http://{options['host']}:{options['port']}/ "
            f"({options['workers']} workers x {options['threads']} threads)"
        )
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
        os.execv(argv[0], argv)  # noqa: S606 - our own server binary, fixed arguments
