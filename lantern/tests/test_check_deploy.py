"""`manage.py check --deploy` is clean with the production settings (LANTERN_HTTPS=1)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "LANTERN_HTTPS": "1",
    "ALLOWED_HOSTS": "lantern.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://lantern.example.org",
}


def check_deploy(tmp_path: Path, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env |= {"LANTERN_VAR_DIR": str(tmp_path), "SECRET_KEY": secrets.token_urlsafe(50), **extra}
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = check_deploy(tmp_path, PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_the_deploy_check_names_what_is_missing(tmp_path: Path) -> None:
    result = check_deploy(tmp_path, {**PRODUCTION, "LANTERN_HTTPS": "0"})
    assert result.returncode != 0
    for issue in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert issue in result.stderr + result.stdout
