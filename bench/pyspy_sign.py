"""Sample the production server with py-spy while wrk signs: `bench/pyspy_sign.py [SECONDS]`.

Starts `manage.py serve` on a throwaway database (BENCH_DB=sqlite or postgresql), drives the
sign form with wrk at 16 clients, and records every worker process with py-spy meanwhile.
Prints the functions that held the most samples, inclusive (anywhere on the stack) and own
(at the top), and leaves the collapsed stacks in /tmp for a flame graph. With
BENCH_PYSPY_GIL=1 only the thread holding the GIL is sampled: where the workers' Python CPU
goes, not where they wait.
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import database, lantern_server, say, task  # noqa: E402
from run import prepare_sign  # noqa: E402


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    vendor = os.environ.get("BENCH_DB", "sqlite")
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    out = Path(tempfile.gettempdir()) / f"lantern-sign-{vendor}.collapsed"
    with database(vendor) as db:
        task(db, "campaign", slug="sign")
        with lantern_server(db, path="/campaigns/sign/") as server:
            load = {}
            signing = prepare_sign(
                db, server.base, "sign", "spy", seconds=seconds + 2, connections=16
            )
            driver = threading.Thread(target=lambda: load.update(r=signing()))
            driver.start()
            subprocess.run(
                [
                    py_spy,
                    "record",
                    "--pid",
                    str(server.process.pid),
                    "--subprocesses",
                    "--duration",
                    str(seconds),
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--output",
                    str(out),
                    "--nonblocking",
                    *(["--gil"] if os.environ.get("BENCH_PYSPY_GIL") else []),
                ],
                check=True,
                capture_output=True,
            )
            driver.join()
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        frames = [f for f in stack.split(";") if f and not f.startswith("process ")]
        if not frames:
            continue
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    say(f"{load['r'].rate_of(302):,.0f} signatures/s on {db.label} while sampled; {total} samples")
    say("\nInclusive (share of samples with the function anywhere on the stack):")
    for frame, n in inclusive.most_common(40):
        say(f"  {n / total:6.1%}  {frame}")
    say("\nOwn (share of samples with the function on top):")
    for frame, n in own.most_common(20):
        say(f"  {n / total:6.1%}  {frame}")
    say(f"\nCollapsed stacks: {out}")


if __name__ == "__main__":
    main()
