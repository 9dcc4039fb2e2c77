"""The dependency audit: what can be checked here is checked, and a finding fails.

- `pip check`: the installed packages' own requirements are met;
- every installed package is pinned in requirements.lock or requirements-test.lock at the
  installed version, and every pin is installed (nothing drifts unrecorded);
- every pin lies in its range in pyproject.toml;
- pip-audit against the lock files: any known vulnerability fails the test. Its services
  (PyPI's per-release JSON, OSV) do not answer from every machine; when it could audit no
  package at all, the test says so and skips rather than pretend the audit passed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(settings.BASE_DIR)
LOCKS = [ROOT / "requirements.lock", ROOT / "requirements-test.lock"]
# The installer's own packages, which no lock pins.
TOOLING = {"pip", "setuptools", "wheel"}


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for lock in LOCKS:
        for line in lock.read_text().splitlines():
            match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)", line.strip())
            if match:
                found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def installed() -> dict[str, str]:
    return {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in metadata.distributions()
        if canonicalize_name(d.metadata["Name"]) not in TOOLING
    }


def findings(report: dict[str, Any]) -> list[str]:
    """Each known vulnerability in a pip-audit JSON report, as "name version: id (fix)"."""
    return [
        f"{dep['name']} {dep.get('version', '?')}: {vuln['id']} "
        f"(fixed in {', '.join(vuln.get('fix_versions') or []) or 'no release yet'})"
        for dep in report.get("dependencies", [])
        for vuln in dep.get("vulns", [])
    ]


def test_pip_check_finds_no_broken_requirement() -> None:
    result = subprocess.run(  # noqa: S603 - pip of this environment
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_installed_package_is_pinned_at_its_version_and_every_pin_installed() -> None:
    pinned, present = pins(), installed()
    unpinned = {n: v for n, v in present.items() if pinned.get(n) != v}
    missing = {n: v for n, v in pinned.items() if present.get(n) != v}
    assert unpinned == {}, "installed but not pinned so: add them to a lock file"
    assert missing == {}, "pinned but not installed: run make check"


def test_every_pin_lies_in_its_range_in_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pinned = pins()
    outside = []
    for line in wanted:
        requirement = Requirement(line)
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            outside.append(f"{line}: pinned {version}")
    assert outside == []


def test_a_vulnerability_in_the_report_is_a_finding() -> None:
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.0", "vulns": [
                {"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]},
            {"name": "altcha", "version": "2.3.0", "vulns": []},
        ]
    }  # fmt: skip
    assert findings(report) == ["django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)"]
    assert findings({"dependencies": [{"name": "x", "skip_reason": "not found"}]}) == []


def test_pip_audit_finds_no_known_vulnerability_in_the_locked_packages() -> None:
    command = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "-f", "json"]
    for lock in LOCKS:
        command += ["-r", str(lock)]
    result = subprocess.run(  # noqa: S603 - pip-audit of this environment
        [*command, "--progress-spinner", "off", "--timeout", "20"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.skip(f"pip-audit could not run its audit here: {result.stderr.strip()[-300:]}")
    assert findings(report) == []
    audited = [d for d in report["dependencies"] if "skip_reason" not in d]
    if not audited:
        pytest.skip(
            "pip-audit's vulnerability service answered for none of the "
            f"{len(report['dependencies'])} locked packages (no audit was possible here)"
        )
