"""Organizers edit rulebooks in the admin; each change is a new version, the old one kept."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from cases.models import Case
from conftest import Cast
from letters.models import Rulebook
from letters.tests.conftest import write

pytestmark = pytest.mark.django_db

NEW_WORD = "Дорогой Алесь! Читали ли вы про амнистию? Мы надеемся на скорую встречу."


def change(client: Client, rulebook: Rulebook, rules: object) -> object:
    return client.post(
        reverse("admin:letters_rulebook_change", args=[rulebook.pk]),
        {"rules": json.dumps(rules, ensure_ascii=False), "note": "Amnesty talk is stopped now."},
    )


def test_adding_a_banned_word_needs_no_code_change_and_keeps_the_old_version(
    client: Client, cast: Cast, campaign: Campaign, prisoner: Case
) -> None:
    assert write(campaign, prisoner, NEW_WORD).status == "submitted"
    first = Rulebook.objects.get(name="Belarus", active=True)
    rules = [*first.rules, {
        "kind": "banned_words", "code": "amnesty", "severity": "warning",
        "message": "Talk of an amnesty is stopped.", "words": {"ru": ["амнистия"]},
    }]  # fmt: skip
    client.force_login(cast.organizer)

    response = change(client, first, rules)

    assert response.status_code == 302  # type: ignore[attr-defined]
    versions = list(Rulebook.objects.filter(name="Belarus").order_by("version"))
    assert [(b.version, b.active) for b in versions] == [(1, False), (2, True)]
    assert versions[0].rules == first.rules, "the old version is kept as it was"
    letter = write(campaign, prisoner, NEW_WORD)
    assert letter.status == "needs_review"
    (finding,) = letter.findings.all()
    assert (finding.matched_text, finding.rulebook_version) == ("амнистию", 2)


def test_a_broken_rule_is_refused_with_the_reason(client: Client, cast: Cast) -> None:
    rulebook = Rulebook.objects.get(name="Belarus", active=True)
    client.force_login(cast.organizer)
    response = change(client, rulebook, [{"kind": "banned_words", "words": {"de": ["Krieg"]}}])
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "no stemmer for &#x27;de&#x27;" in response.content.decode()  # type: ignore[attr-defined]
    assert Rulebook.objects.filter(name="Belarus").count() == 1
