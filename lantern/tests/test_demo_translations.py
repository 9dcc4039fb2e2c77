"""The demo marathon in every shipped language: the campaign and case texts translated, the
letters from prison imported from seed document 003."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from correspondence.models import Post
from lantern.demo_translations import CAMPAIGN, CASE

pytestmark = pytest.mark.django_db


def test_demo_campaign_page_shows_its_translation_in_each_language(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=None)
    url = reverse("campaigns:detail", args=["write-for-rights-2012"])
    shipped = [code for code, _ in django_settings.LANGUAGES if code != "en"]
    assert sorted(CAMPAIGN) == sorted(CASE) == sorted(shipped)
    for language in shipped:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<html lang="{language}">' in html
        assert escape(CAMPAIGN[language]["title"]) in html
        assert escape(CASE[language]["headline"]) in html
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Write for Rights 2012: Ales Bialiatski" in english

    posts = Post.objects.filter(case__slug="ales-bialiatski", status=Post.Status.PUBLISHED)
    assert posts.count() == 8
    archive = client.get(reverse("correspondence:list"), HTTP_ACCEPT_LANGUAGE="ru").content
    assert "2 декабря 2012 г., Babruysk" in archive.decode()
