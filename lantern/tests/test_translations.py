"""The translation catalogs: complete for every shipped language, compiled, up to date.

Every app's `locale/<lang>/LC_MESSAGES/django.po` must translate every msgid (every plural
form), with no fuzzy entry and the same placeholders as the English; its `.mo` must hold
exactly what the `.po` says (compiled here with Babel and compared); and the catalogs must
hold every string marked in the code (makemessages, run on a copy of the tree).
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings

from conftest import require_part

ROOT = Path(settings.BASE_DIR)
SHIPPED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
LOCALE_DIRS = sorted(p for p in ROOT.glob("*/locale") if p.is_dir())
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _po_files() -> list[Path]:
    return [d / lang / "LC_MESSAGES" / "django.po" for d in LOCALE_DIRS for lang in SHIPPED]


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def _texts(value: object) -> list[str]:
    """A message's id or string as a list: one item, or one per plural form."""
    if isinstance(value, (tuple, list)):
        return [str(v or "") for v in value]
    return [str(value or "")]


def _label(message: Message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context + ' | ' if message.context else ''}{msgid!r}"


def test_every_app_with_a_catalog_has_one_per_shipped_language() -> None:
    assert LOCALE_DIRS, "no locale/ folder found"
    missing = [str(p.relative_to(ROOT)) for p in _po_files() if not p.exists()]
    assert not missing, f"catalogs missing: {missing}"


@pytest.mark.parametrize("po_path", _po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_translates_every_message_with_the_same_placeholders(po_path: Path) -> None:
    catalog = _read(po_path)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = _texts(message.string)
        ids = _texts(message.id)
        if message.fuzzy:
            problems.append(f"fuzzy: {_label(message)}")
        elif not all(strings):
            problems.append(f"untranslated: {_label(message)}")
        else:
            wanted = {m for msgid in ids for m in PLACEHOLDER.findall(msgid)}
            for text in strings:
                got = set(PLACEHOLDER.findall(text))
                if not got <= wanted or (len(strings) == 1 and got != wanted):
                    problems.append(f"placeholders differ: {_label(message)} -> {text!r}")
    assert not problems, "\n".join(problems)


def _expected_catalog(catalog: Catalog) -> dict[object, str]:
    """What gettext should find in the compiled file, keyed as GNUTranslations keys it."""
    expected: dict[object, str] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        prefix = f"{message.context}\x04" if message.context else ""
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if isinstance(message.string, (tuple, list)):
            for n, text in enumerate(message.string):
                expected[(prefix + msgid, n)] = text
        else:
            expected[prefix + msgid] = str(message.string)
    return expected


@pytest.mark.parametrize("po_path", _po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalog_matches_its_po_file(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing: run compilemessages"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    found = {k: v for k, v in compiled._catalog.items() if k != ""}  # type: ignore[attr-defined]
    expected = _expected_catalog(_read(po_path))
    stale = sorted(str(k) for k in expected.keys() ^ found.keys())
    stale += sorted(str(k) for k in expected.keys() & found.keys() if expected[k] != found[k])
    assert not stale, f"{mo_path.relative_to(ROOT)} is older than its .po: {stale[:5]}"


def _msgids(path: Path) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _read(path) if m.id}


def test_catalogs_hold_every_string_marked_in_the_code(tmp_path: Path) -> None:
    require_part(
        shutil.which("xgettext") is not None, "needs GNU gettext (apt-get install gettext)"
    )
    copy = tmp_path / "tree"
    ignore = shutil.ignore_patterns(
        ".venv",
        ".git",
        "var",
        "test-artifacts",
        "node_modules",
        "*.ttf",
        "*.otf",
        "*.mo",
        "*.png",
        "*.jpg",
        "*.pdf",
        "__pycache__",
    )
    shutil.copytree(ROOT, copy, ignore=ignore)
    command = [sys.executable, "manage.py", "update_catalogs", "--no-compile"]
    subprocess.run(command, cwd=copy, check=True, capture_output=True)  # noqa: S603
    lang = SHIPPED[0]
    problems = []
    for fresh in sorted(copy.glob(f"*/locale/{lang}/LC_MESSAGES/django.po")):
        relative = fresh.relative_to(copy)
        ours = ROOT / relative
        new = _msgids(fresh) - (_msgids(ours) if ours.exists() else set())
        problems += [f"{relative}: {msgid!r} not in the catalog" for _, msgid in sorted(new)]
    assert not problems, "run the makemessages command in docs/TRANSLATING.md:\n" + "\n".join(
        problems[:30]
    )
