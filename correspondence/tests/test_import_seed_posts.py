from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case
from correspondence.demo import SEED_FILE
from correspondence.models import Post
from correspondence.seed import parse_archive

pytestmark = pytest.mark.django_db


def test_seed_archive_is_parsed_into_titled_posts_with_the_dateline_taken_out() -> None:
    archive = parse_archive(SEED_FILE.read_text(encoding="utf-8"))
    assert archive.tag == "letters from Ales Bialiatski"
    assert len(archive.posts) == 8
    paris = archive.posts[2]
    assert paris.title == "Ales Bialiatski : “Paris, Paris… but I return home”"
    assert (paris.written_on, paris.written_at) == (date(2012, 12, 2), "Babruysk")
    assert not any(p == "Babruysk" or p.startswith("2 December") for p in paris.paragraphs)
    release = archive.posts[4]
    assert release.paragraphs[0].startswith(
        "The political prisoner Ales Bialiatski"
    )  # caption gone
    assert archive.posts[5].paragraphs[0] == "Dear Loreen,"
    assert all("Read More" not in p for post in archive.posts for p in post.paragraphs)


def test_command_publishes_the_seed_posts_once_for_the_case(case: Case) -> None:
    out = StringIO()
    call_command("import_seed_posts", "--case", case.slug, stdout=out)
    assert "Imported 8 of 8 posts tagged “letters from Ales Bialiatski”." in out.getvalue()
    posts = list(Post.objects.order_by("-published_at"))
    assert len(posts) == 8 and all(p.is_published and p.case == case for p in posts)
    assert posts[0].title.startswith("Political prisoner Ales Bialiatski sends greetings")
    assert posts[2].dateline == "2 December 2012, Babruysk"
    assert {t.name for p in posts for t in p.tags.all()} == {"letters from Ales Bialiatski"}
    call_command("import_seed_posts", "--case", case.slug, stdout=out)
    assert "Imported 0 of 8" in out.getvalue() and Post.objects.count() == 8


def test_command_refuses_an_unknown_case_or_a_missing_file(case: Case, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No case with the slug nobody"):
        call_command("import_seed_posts", "--case", "nobody")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_seed_posts", str(tmp_path / "missing.txt"), "--case", case.slug)
    assert not Post.objects.exists()
