"""Every URL of the project gets malformed input, from an anonymous visitor and from a
signed-in organizer: never a 5xx, and a refused request (4xx) changes no row anywhere.

The URLs come from the URLconf, so a new page is covered without touching this file. Path
parameters are filled with real objects (chosen by the path segment before them) and with
bad values (unknown, out of range, malformed). Each real URL gets wrong methods, junk query
strings, junk form fields (the names read from the page's own forms, plus common ones; NUL
characters, huge numbers, long texts, bad dates), invalid UTF-8, bodies and field counts
over the limits, the wrong content type and broken multipart uploads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import Cast
from correspondence.models import Reply
from correspondence.services import PostInput, create_post, publish_post
from events.services import EventInput, report_event
from lantern.testing import make_campaign, row_counts
from letters.services import LetterInput, submit_letter
from mail.services import build_batch
from mail.tests.factories import make_case_at, make_facility, make_letter
from partners.services import create_api_token
from partners.tests.helpers import report
from partners.webhooks import register_webhook
from petitions.models import Signature
from petitions.services import SignatureInput, confirmation_token, sign_petition

pytestmark = pytest.mark.django_db

# Sessions are written by signing in (each organizer request starts signed in).
# Sessions change on sign-in; the audit log records a view of personal data even on a page
# shown again with an error (a refused form on the moderation page shows the letter).
IGNORED_TABLES = frozenset({"django_session", "audit_auditentry"})
BODY_LIMIT = 32 * 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE in this test
HUGE_ID = "99999999999999999999"  # more than any database integer holds


# --- The URLs, from the URLconf --------------------------------------------------------


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "partners/<slug:slug>/tokens/<int:pk>/revoke/"
    name: str

    @property
    def is_admin(self) -> bool:
        return self.template.startswith("admin/")


def routes() -> list[Route]:
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                yield Route(prefix + str(pattern.pattern), f"{namespace}:{pattern.name or ''}")

    return list(walk(get_resolver().url_patterns, "", ""))


PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\^?\(\?P<(\w+)>[^)]*\)/?\$?")


def _before(template: str, start: int) -> str:
    """The literal path segment before a parameter ("tokens" in "tokens/<int:pk>/")."""
    head = re.sub(r"<[^>]*>", "", template[:start]).rstrip("/")
    return re.split(r"[/.]", head)[-1] if head else ""


@dataclass
class World:
    """One of everything a URL can name, and the values that name them."""

    slugs: dict[str, str]  # by the segment before the slug
    ids: dict[str, int]  # by the segment before the id
    named: dict[str, str]  # by the parameter's name

    def fill(self, route: Route, *, bad: str | None = None) -> str:
        """The route with every parameter filled: real values, or `bad` ones."""

        def value(match: re.Match[str]) -> str:
            converter, name, regex_name = match.group(1), match.group(2), match.group(3)
            name = name or regex_name
            if bad is not None:
                return {"slug": "no-such-thing", "int": HUGE_ID}.get(converter or "", bad)
            segment = _before(route.template, match.start())
            if name == "object_id":
                return str(self.admin_object(route))
            if name in self.named:
                return self.named[name]
            if converter == "int":
                return str(self.ids.get(segment, 1))
            return self.slugs.get(segment, "no-such-thing")

        filled = PARAMETER.sub(value, route.template)
        return "/" + filled.replace("^", "").replace("$", "")

    def admin_object(self, route: Route) -> int | str:
        """The first row of the model an admin URL is about (admin:<app>_<model>_<view>)."""
        match = re.match(r"admin/(\w+)/(\w+)/", route.template)
        if not match:
            return 1
        model = apps.get_model(match.group(1), match.group(2))
        first = model._default_manager.order_by("pk").first()
        return first.pk if first is not None else 1


@pytest.fixture
def world(cast: Cast) -> World:
    facility = make_facility()
    case = make_case_at(facility, slug="ales-bialiatski", name="Ales Bialiatski")
    campaign = make_campaign(
        slug="write-for-rights", cases=[case], partners=[cast.partner], petition_text="Free him."
    )
    report(campaign, cast.partner, ("evt-1", "PL", 120))
    sign_petition(campaign, SignatureInput(name="Anna", email="anna@example.org", country="PL"))
    letter = submit_letter(
        campaign,
        case,
        LetterInput(kind="letter", text="Дорогой Алесь!", author_name="Zofia", author_country="PL"),
    )
    make_letter(case, campaign=campaign)  # approved: the mail desk can batch it
    batch = build_batch(facility, cast.organizer)
    event = report_event(
        cast.partner,
        EventInput(
            campaign=campaign,
            title="Lanterns",
            country="JP",
            happened_at=campaign.created_at,
            counts={"art": 1000},
        ),
        reported_by=cast.reporter,
    )
    post = create_post(
        PostInput(case=case, title="Paris", body="A letter.", tags=("ales",)), author=None
    )
    publish_post(post)
    reply = Reply.objects.create(case=case, received_on=date(2013, 1, 5), transcription="Hello.")
    token, _ = create_api_token(cast.partner, "fuzz", ["actions:write"])
    webhook, _ = register_webhook(cast.partner, "http://127.0.0.1:9/hook")
    signature = Signature.objects.get()
    return World(
        slugs={
            "campaigns": campaign.slug,
            "widget": campaign.slug,
            "petitions": campaign.slug,
            "partners": cast.partner.slug,
            "cases": case.slug,
            "tags": post.tags.get().slug,
            "letters-from-prison": post.slug,
        },
        ids={
            "moderate": letter.pk,
            "translate": letter.pk,
            "facilities": facility.pk,
            "batches": batch.pk,
            "items": batch.items.first().pk,  # type: ignore[union-attr]
            "events": event.pk,
            "photos": 1,
            "edit": post.pk,
            "replies": reply.pk,
            "tokens": token.pk,
            "webhooks": webhook.pk,
        },
        named={
            "fmt": "csv",
            "token": confirmation_token(signature),
            "table": "actions",
            "app_label": "cases",
            "content_type_id": "1",
        },
    )


# --- Malformed requests ----------------------------------------------------------------


class _FieldNames(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.files: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"input", "select", "textarea"}:
            values = dict(attrs)
            name = values.get("name")
            if name:
                self.names.add(name)
                if values.get("type") == "file":
                    self.files.add(name)


# Besides the names read from the page's forms; the API's JSON fields among them.
COMMON_FIELDS = {
    "name", "email", "country", "text", "kind", "case", "count", "q",
    "author_name", "author_country", "author_email", "actions", "consent_contact",
}  # fmt: skip
JUNK = [
    "a\x00b",  # NUL: PostgreSQL refuses it in text
    "9" * 40,  # more than any integer column holds
    "x" * 20_000,
    "-1",
    "2012-13-45T99:99",
    "ZZ",
    "<script>alert(1)</script>",
    "\x01\x1b[31m\u202e",
]
# Each junk POST gives the n-th field JUNK[n + shift]: each field meets several values.
JUNK_SHIFTS = {"POST junk fields": 0, "POST other junk fields": 3}


@dataclass(frozen=True)
class Fields:
    """The names a page's forms post (and which of them take a file), plus common ones."""

    names: frozenset[str]
    files: frozenset[str] = frozenset()


def page_fields(response: Any) -> Fields:
    names, files = set(COMMON_FIELDS), set()
    if response.get("Content-Type", "").startswith("text/html"):
        parser = _FieldNames()
        parser.feed(response.content.decode("utf-8", errors="replace"))
        names |= parser.names
        files = parser.files
    return Fields(frozenset(names - {"csrfmiddlewaretoken"}), frozenset(files))


Send = Callable[[Client, str, Fields], Any]


def _junk(fields: Fields, shift: int) -> dict[str, str]:
    names = sorted(fields.names - fields.files)
    return {name: JUNK[(n + shift) % len(JUNK)] for n, name in enumerate(names)}


def _junk_form(shift: int) -> Send:
    def send(client: Client, url: str, fields: Fields) -> Any:
        return client.post(url, _junk(fields, shift))

    return send


def _junk_json(client: Client, url: str, fields: Fields) -> Any:
    return client.post(url, json.dumps(_junk(fields, 1)), content_type="application/json")


def _raw(method: str, body: bytes, content_type: str) -> Send:
    def send(client: Client, url: str, fields: Fields) -> Any:
        return client.generic(method, url, body, content_type=content_type)

    return send


def _junk_upload(client: Client, url: str, fields: Fields) -> Any:
    """Files that are not what they say, in every field (pages with an upload only)."""
    if not fields.files:
        return None
    data: dict[str, Any] = _junk(fields, 2)
    for name in fields.files:
        data[name] = SimpleUploadedFile("photo.jpg", b"\xff\xd8 not a jpeg", "image/jpeg")
    return client.post(url, data)


BOUNDARY = "----lanternfuzz"
MALFORMED: dict[str, Send] = {
    "PUT": _raw("PUT", b"junk", "application/octet-stream"),
    "junk query string": lambda client, url, fields: client.get(
        url + "?page=-1&p=abc&o=zz&limit=x&offset=%ff&q=%00&e=1&next=//evil.example&"
        "_changelist_filters=%ZZ&outcome=%ff&case=..&kind=%00&fmt=exe&" + "a" * 3000
    ),
    **{how: _junk_form(shift) for how, shift in JUNK_SHIFTS.items()},
    "POST JSON with junk values": _junk_json,
    "POST invalid UTF-8": _raw(
        "POST", b"name=%ff%fe&text=\xff\xfe\xfd&email=\xc3\x28", "application/x-www-form-urlencoded"
    ),
    "POST over the size limit": _raw(
        "POST", b"text=" + b"x" * (BODY_LIMIT * 2), "application/x-www-form-urlencoded"
    ),
    "POST too many fields": _raw(
        "POST",
        "&".join(f"f{n}=1" for n in range(1200)).encode(),
        "application/x-www-form-urlencoded",
    ),
    "POST JSON that is not JSON": _raw("POST", b'{"name": "x", ', "application/json"),
    "POST broken multipart": _raw(
        "POST",
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="text"\r\n\r\nunterminated'.encode(),
        f"multipart/form-data; boundary={BOUNDARY}",
    ),
    "POST junk upload": _junk_upload,
}
# Refused by Django before any view reads the database (the method, the body's size, field
# count and encoding): the same on every database, so sent in the SQLite pass only.
BEFORE_THE_DATABASE = frozenset(
    {
        "PUT",
        "POST invalid UTF-8",
        "POST over the size limit",
        "POST too many fields",
        "POST JSON that is not JSON",
        "POST broken multipart",
    }
)
# Admin pages are Django's own, and many: a smaller set, enough to reach their parsing of
# queries and forms. Any POST to the admin's delete page confirms the deletion (of the
# organizer's own account, among others): those pages, and the history, are only looked at.
ADMIN_FORM_MALFORMED = ("junk query string", "POST junk fields")
ADMIN_PAGE_MALFORMED = ("junk query string",)
BAD_URL_MALFORMED = ("junk query string", "POST junk fields")
BAD_PARAMETERS = ("x" * 300, HUGE_ID)
# Reaches the view only through parameters that take any text (a token, an admin object id).
INVALID_UTF8 = "%ff%fe"


# --- The check -------------------------------------------------------------------------


@dataclass
class Sweep:
    client: Client
    sign_in: Callable[[], None] | None
    problems: list[str]
    requests: int = 0
    counts: tuple[int, ...] | None = None

    def send(self, label: str, url: str, how: str, fields: Fields) -> Any:
        if self.sign_in is not None and "_auth_user_id" not in self.client.session:
            self.sign_in()
            self.counts = None
        before = self.counts if self.counts is not None else row_counts(IGNORED_TABLES)
        response = MALFORMED[how](self.client, url, fields)
        if response is None:
            return None  # not for this page
        self.requests += 1
        status = response.status_code
        if status >= 500:
            self.problems.append(f"{status} {how} {url} ({label})")
        if 400 <= status < 500:
            after = row_counts(IGNORED_TABLES)
            if after != before:
                self.problems.append(f"{status} but rows changed: {how} {url} ({label})")
            self.counts = after
        else:
            self.counts = None  # it may have written: count again before the next one
        return response

    def url(self, route: Route, world: World) -> None:
        real = world.fill(route)
        page = self.client.get(real)
        self.requests += 1
        if page.status_code >= 500:
            self.problems.append(f"{page.status_code} GET {real}")
        fields = page_fields(page)
        self.counts = None
        for how in self.malformed(route):
            self.send("real", real, how, fields)
        if PARAMETER.search(route.template):
            bads: tuple[str, ...] = BAD_PARAMETERS[1:] if route.is_admin else BAD_PARAMETERS
            if re.search(r"<(str:|path:)?\w+>", route.template):
                bads += (INVALID_UTF8,)
            for bad in bads:
                for how in BAD_URL_MALFORMED[: 1 if route.is_admin else 2]:
                    self.send("bad parameter", world.fill(route, bad=bad), how, fields)

    @staticmethod
    def malformed(route: Route) -> tuple[str, ...]:
        if not route.is_admin:
            if connection.vendor == "sqlite":
                return tuple(MALFORMED)
            return tuple(how for how in MALFORMED if how not in BEFORE_THE_DATABASE)
        if route.name.endswith(("_changelist", "_add", "_change")):
            return ADMIN_FORM_MALFORMED
        return ADMIN_PAGE_MALFORMED


def sweep(client: Client, world: World, sign_in: Callable[[], None] | None) -> Sweep:
    run = Sweep(client, sign_in, [])
    for route in routes():
        if route.is_admin and sign_in is None:
            continue  # every admin page sends the anonymous visitor to the login page
        run.url(route, world)
    return run


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_LIMIT
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = BODY_LIMIT
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # no name lookups: there is no network


def test_every_url_refuses_malformed_input_from_an_anonymous_visitor(world: World) -> None:
    run = sweep(Client(raise_request_exception=False), world, sign_in=None)
    assert not run.problems, "\n".join(run.problems)
    assert run.requests > 500


def test_every_url_refuses_malformed_input_from_a_signed_in_organizer(
    world: World, cast: Cast
) -> None:
    client = Client(raise_request_exception=False)
    run = sweep(client, world, sign_in=lambda: client.force_login(cast.organizer))
    assert not run.problems, "\n".join(run.problems)
    assert run.requests > 1000


def test_the_sweep_reaches_every_url_pattern(world: World) -> None:
    """A pattern the filler cannot fill would be tested only with bad values."""
    for route in routes():
        url = world.fill(route)
        assert "<" not in url and "(?P" not in url, (route, url)
