"""`manage.py serve`: the production server (granian) answers with several worker processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from lantern.management.commands.serve import granian_argv
from lantern.testing import free_port


def test_granian_serves_the_wsgi_application_with_the_settings_workers_and_threads() -> None:
    argv = granian_argv("127.0.0.1", 8123, workers=3, threads=5)
    assert argv[argv.index("--interface") + 1] == "wsgi"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--blocking-threads") + 1] == "5"
    assert argv[-1] == "lantern.wsgi:application"


def test_serve_answers_requests_until_stopped(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "LANTERN_VAR_DIR": str(tmp_path)}
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", "2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        document = None
        deadline = time.monotonic() + 60
        while document is None and time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                    document = json.load(response)
            except OSError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                time.sleep(0.2)
        assert document is not None, "the server did not answer within 60 s"
        assert document["info"]["title"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
