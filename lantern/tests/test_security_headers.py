"""Every page carries a strict Content-Security-Policy and the other security headers;
cookies are HttpOnly and SameSite (and Secure behind HTTPS)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, Cast
from lantern.testing import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(cast: Cast) -> list[str]:
    campaign = make_campaign()
    return [
        reverse("campaigns:detail", args=[campaign.slug]),
        reverse("letters:write", args=[campaign.slug]),
        reverse("reports:results", args=[campaign.slug]),
        reverse("widgets:embed", args=[campaign.slug]),
        reverse("correspondence:list"),
        reverse("partners:login"),
        reverse("admin:login"),
        "/api/v1/docs",
    ]


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def test_every_page_has_a_strict_content_security_policy(client: Client, pages: list[str]) -> None:
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], path
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert policy["object-src"] == ["'none'"], path
        assert not any("unsafe" in v for values in policy.values() for v in values), path


def test_every_page_has_the_other_security_headers(client: Client, pages: list[str]) -> None:
    for path in pages:
        response = client.get(path)
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
        assert response["X-Frame-Options"] == "DENY", path
        assert "camera=()" in response["Permissions-Policy"], path
        assert "geolocation=()" in response["Permissions-Policy"], path


def test_the_pages_hold_no_inline_script_or_style(client: Client, pages: list[str]) -> None:
    for path in pages[:-1]:  # the API's docs page is django-ninja's
        html = client.get(path).content.decode()
        assert "<script>" not in html and "<style" not in html, path
        assert " style=" not in html, path


def test_cookies_are_httponly_and_samesite(client: Client, cast: Cast) -> None:
    client.get(reverse("partners:login"))
    response = client.post(
        reverse("partners:login"), {"username": "organizer", "password": PASSWORD}
    )
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies.get(name) or client.cookies[name]
        assert cookie["httponly"], name
        assert cookie["samesite"] == "Lax", name


def test_behind_https_cookies_are_secure_and_hsts_is_sent(settings: Any, cast: Cast) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    client = Client()
    client.get(reverse("partners:login"), secure=True)
    response = client.post(
        reverse("partners:login"), {"username": "organizer", "password": PASSWORD}, secure=True
    )
    assert response.cookies["sessionid"]["secure"]
    assert client.cookies["csrftoken"]["secure"]
    page = client.get(reverse("campaigns:home"), secure=True)
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_api_docs_page_loads_swagger_from_lantern_not_a_cdn(client: Client) -> None:
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html
    assert "<script>" not in html
