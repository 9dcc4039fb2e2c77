"""The benchmark harness (`bench/run.py`) runs end to end at a tiny size, so that it cannot rot.

It starts the production server and the reference ceiling, drives them with wrk, builds a
ledger and a report, imports a file, and checks what was stored, on this pass's database.
The figures themselves are not asserted: benchmarks never gate the suite on a time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

from conftest import require_part


def test_benchmarks_run_at_a_tiny_size_and_check_what_they_stored() -> None:
    require_part(shutil.which("wrk") is not None, "needs wrk (apt-get install wrk)")
    vendor = connection.vendor
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if vendor == "postgresql":
        env["BENCH_POSTGRES_URL"] = os.environ["DATABASE_URL"]
    result = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            "bench/run.py",
            "--tiny",
            "--db",
            vendor,
            *("--only", "sign", "--only", "import", "--only", "report"),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    label = "PostgreSQL" if vendor == "postgresql" else "SQLite"
    assert "none lost, none duplicated" in out
    assert f"| {label} | 16 |" in out and f"| {label} | 64 |" in out
    assert "rows and tallies exact" in out and "CORRECTNESS FAILED" not in out
    assert f"| {label} | 20,000 |" in out  # the report's ledger
    if Path("/proc/stat").exists():  # where the CPU went: the server's share is never nothing
        cpu = re.search(rf"^\| {label} \| 16 \| (\d+\.\d\d) \|", out, re.MULTILINE)
        assert cpu is not None and float(cpu.group(1)) > 0, out
