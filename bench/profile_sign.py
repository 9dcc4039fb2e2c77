"""Profile the sign path in-process with pyinstrument: `bench/profile_sign.py [N]`.

A throwaway database (BENCH_DB=sqlite or postgresql), a campaign, then N sign POSTs through
Django's whole stack (middleware, CSRF, form, service, durable commit) under pyinstrument;
prints CPU time per signature and where it went. Production settings (DEBUG off).
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import database, task  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    vendor = os.environ.get("BENCH_DB", "sqlite")
    with database(vendor) as db:
        task(db, "campaign", slug="sign")
        os.environ.update(db.env)
        import django

        django.setup()
        from django.test import Client
        from pyinstrument import Profiler

        client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
        page = client.get("/campaigns/sign/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None

        def sign(k: int) -> None:
            response = client.post(
                "/campaigns/sign/sign/",
                {
                    "csrfmiddlewaretoken": token.group(1),
                    "name": f"Signer {k}",
                    "name_display": "full",
                    "email": f"p{k}@example.org",
                    "country": "PL",
                    "city": "Warsaw",
                    "consent_letter": "on",
                },
            )
            assert response.status_code == 302, response.status_code

        for k in range(50):  # warm up
            sign(-k - 1)
        profiler = Profiler(interval=0.0005)
        started, cpu = time.perf_counter(), time.process_time()
        with profiler:
            for k in range(n):
                sign(k)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{n} signatures on {db.label}: {wall / n * 1000:.2f} ms wall, "
            f"{cpu / n * 1000:.2f} ms CPU each (this process only)"
        )
        print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
