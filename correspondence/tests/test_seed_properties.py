"""Properties of the seed archive parser (hypothesis): any page text gives posts, never a
failure; a dateline that is not a real date is kept as text."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from correspondence.seed import READ_MORE, parse_archive

LINES = st.lists(
    st.text(max_size=40)
    | st.sampled_from(
        [
            READ_MORE,
            "2 December 2012, Babruysk",
            "31 February 2012, Babruysk",  # no such day
            "12 Smarch 2012, Minsk",
            "99 May 0000, Nowhere",
            "",
        ]
    ),
    max_size=30,
)


@given(LINES.map("\n".join) | st.text())
@example("letters tagged posts\nTitle\n31 February 2012, Babruysk\nText\nRead More")
def test_any_page_gives_posts_with_titles_and_real_dates(text: str) -> None:
    archive = parse_archive(text)
    for post in archive.posts:
        assert post.title.strip()
        assert READ_MORE not in post.paragraphs
        if post.written_on is not None:
            assert post.written_at.strip()


def test_a_dateline_that_is_not_a_date_stays_a_paragraph() -> None:
    archive = parse_archive("x tagged posts\nTitle\nFirst.\n31 February 2012, Babruysk\nRead More")
    (post,) = archive.posts
    assert post.written_on is None
    assert "31 February 2012, Babruysk" in post.paragraphs
