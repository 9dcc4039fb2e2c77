"""Profile `import_actions` in-process with pyinstrument: `bench/profile_import.py ROWS`.

Makes a throwaway SQLite database (or uses DATABASE_URL's, in a new database), a campaign,
a CSV of ROWS action reports, imports it under pyinstrument and prints where the time went.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import database, task  # noqa: E402
from run import write_csv  # noqa: E402


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    vendor = os.environ.get("BENCH_DB", "sqlite")
    with database(vendor) as db, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "actions.csv"
        write_csv(path, rows)
        task(db, "campaign", slug="import", partner="importer")
        os.environ.update(db.env)
        import django

        django.setup()
        from django.core.management import call_command
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        started = time.perf_counter()
        with profiler:
            call_command(
                "import_actions",
                str(path),
                campaign="import",
                partner="importer",
                no_progress=False,
            )
        seconds = time.perf_counter() - started
        print(f"{rows:,} rows in {seconds:.1f} s: {rows / seconds:,.0f} rows/s")
        print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
