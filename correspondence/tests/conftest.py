from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User

from cases.models import Case
from conftest import PASSWORD, Cast
from correspondence.models import Post
from correspondence.services import PostInput, create_post, publish_post
from lantern.testing import make_case
from partners.models import Membership


@pytest.fixture
def editor(cast: Cast) -> User:
    """A partner's editor: not staff, publishes letters from prison."""
    user = User.objects.create_user("editor", "e@example.org", PASSWORD)
    Membership.objects.create(user=user, partner=cast.partner, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def case(db: None) -> Case:
    return make_case(slug="ales-bialiatski", name="Ales Bialiatski")


def make_post(case: Case, *, publish: bool = True, **fields: Any) -> Post:
    values: dict[str, Any] = {
        "case": case,
        "title": "Paris, Paris… but I return home",
        "body": "Excerpts of letters.\n\nThe International Executive Board met in June.",
        "written_on": date(2012, 12, 2),
        "written_at": "Babruysk",
        "tags": ("letters from Ales Bialiatski",),
    }
    values.update(fields)
    post = create_post(PostInput(**values), author=None)
    if publish:
        publish_post(post, at=datetime(2013, 1, 10, 12, tzinfo=UTC))
    return post
