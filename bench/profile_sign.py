"""Profile the sign path in-process with pyinstrument: `bench/profile_sign.py [N]`.

A throwaway database (BENCH_DB=sqlite or postgresql), a campaign, then N sign POSTs through
a real WSGI call of `lantern.wsgi.application` (the lean sign path in front of Django), or
of Django's own application with BENCH_PATH=django (middleware, CSRF, form, service); each
with a solved proof-of-work and its own client address, as the benchmark sends them. Prints
CPU time per signature, with and without the profiler, and where it went. Production
settings (DEBUG off, durable commits).
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import database, task  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    vendor = os.environ.get("BENCH_DB", "sqlite")
    which = os.environ.get("BENCH_PATH", "lean")
    with database(vendor) as db:
        task(db, "campaign", slug="sign")
        os.environ.update(db.env)
        import django

        django.setup()
        import altcha
        from django.test import Client
        from pyinstrument import Profiler

        from lantern import wsgi
        from lantern.guard.pow import issue_challenge

        app = wsgi.application if which == "lean" else wsgi.django_application
        client = Client(HTTP_HOST="127.0.0.1")
        page = client.get("/campaigns/sign/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        assert token is not None
        cookie = page.cookies["csrftoken"].value

        def payload() -> str:
            challenge = altcha.Challenge.from_dict(issue_challenge())
            solution = altcha.solve_challenge(challenge)
            assert solution is not None
            return str(altcha.Payload(challenge, solution).to_base64())

        def environ(k: int) -> dict[str, Any]:
            body = urlencode(
                {
                    "csrfmiddlewaretoken": token.group(1),
                    "name": f"Signer {k}",
                    "name_display": "full",
                    "email": f"p{k}@example.org",
                    "country": "PL",
                    "city": "Warsaw",
                    "consent_letter": "on",
                    "website": "",
                    "altcha": payload(),
                }
            ).encode()
            return {
                "REQUEST_METHOD": "POST",
                "SCRIPT_NAME": "",
                "PATH_INFO": "/campaigns/sign/sign/",
                "QUERY_STRING": "",
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "80",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "127.0.0.1",
                "HTTP_X_FORWARDED_FOR": f"10.0.{k // 250 % 250}.{k % 250 + 1}",
                "HTTP_HOST": "127.0.0.1",
                "HTTP_COOKIE": f"csrftoken={cookie}",
                "HTTP_REFERER": "http://127.0.0.1/",
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body),
                "wsgi.errors": sys.stderr,
                "wsgi.url_scheme": "http",
                "wsgi.version": (1, 0),
                "wsgi.multithread": True,
                "wsgi.multiprocess": True,
                "wsgi.run_once": False,
            }

        statuses: list[str] = []

        def start_response(status: str, headers: list[tuple[str, str]], *exc: Any) -> None:
            statuses.append(status)

        def run(environs: list[dict[str, Any]]) -> tuple[float, float]:
            started, cpu = time.perf_counter(), time.process_time()
            for env in environs:
                b"".join(app(env, start_response))
            return time.perf_counter() - started, time.process_time() - cpu

        run([environ(-k - 1) for k in range(50)])  # warm up
        plain = [environ(k) for k in range(n)]
        wall, cpu = run(plain)
        profiled = [environ(n + k) for k in range(n)]
        profiler = Profiler(interval=0.0002)
        with profiler:
            run(profiled)
        assert set(statuses) == {"302 Found"}, set(statuses)
        path = "the lean path" if which == "lean" else "Django"
        print(
            f"{n} signatures on {db.label} through {path}: "
            f"{wall / n * 1000:.3f} ms wall, {cpu / n * 1000:.3f} ms CPU each without the "
            "profiler (this process only)"
        )
        print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
