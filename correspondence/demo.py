"""The demo's letters from prison: seed document 003, imported for the demo case."""

from __future__ import annotations

from pathlib import Path

from cases.models import Case
from correspondence.models import Post
from correspondence.seed import import_archive, parse_archive

SEED_FILE = Path(__file__).resolve().parent / "demo_data" / "letters_from_ales_bialiatski.txt"


def load_demo_posts(case: Case) -> list[Post]:
    return import_archive(parse_archive(SEED_FILE.read_text(encoding="utf-8")), case)
