"""Shared test set-up: the named cast of users, real parts (SMTP, browser), and skips.

Tests that need a part a laptop may lack (PostgreSQL, Chromium) skip with a clear message;
with LANTERN_REQUIRE_ALL=1 (set by .ci/run) the same test fails instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from nacl.public import PrivateKey

from lantern.sealing import encode_key
from lantern.testing import free_port, make_partner
from partners.models import Membership, Partner

PASSWORD = "correct horse battery staple"


def require_part(available: bool, reason: str) -> None:
    """Skip (laptop) or fail (CI, LANTERN_REQUIRE_ALL=1) when a real part is missing."""
    if available:
        return
    if os.environ.get("LANTERN_REQUIRE_ALL"):
        pytest.fail(f"required part missing: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _static_files_from_the_apps(settings: Any) -> None:
    """Serve static files from the apps' folders, as runserver does: no collectstatic run."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _guard_store_per_test(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test starts with no rate-limit counts and no spent challenges (a local store of
    its own), and a low proof-of-work difficulty so that solving one takes a few hashes."""
    settings.REDIS_URL = ""
    settings.GUARD_LOCAL_STORE = tmp_path_factory.mktemp("guard") / "guard.sqlite3"
    settings.POW_DIFFICULTY = 8


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """The named cast's accounts are made in most tests; a slow hash would be most of their time.
    Password hashing itself is Django's and not under test here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _counters_read_the_tallies(settings: Any) -> None:
    """Counters read the tallies on every request in tests, so that a test sees its own
    writes at once (the cache is per process, and ids repeat between tests). Tests of the
    cache set COUNTER_CACHE_SECONDS themselves."""
    settings.COUNTER_CACHE_SECONDS = 0


@pytest.fixture(scope="session")
def django_db_modify_db_settings() -> None:
    """One test database per pytest process, so that runs side by side do not collide."""
    from django.conf import settings

    test = settings.DATABASES["default"].setdefault("TEST", {})
    name = str(test.get("NAME") or "test_lantern")
    stem, dot, suffix = name.rpartition(".") if name.endswith(".sqlite3") else (name, "", "")
    test["NAME"] = f"{stem}_{os.getpid()}{dot}{suffix}"


@pytest.fixture
def postgres_only() -> None:
    """For tests of PostgreSQL's own behaviour. They run in `make test`'s PostgreSQL pass
    (which CI requires), and skip in the SQLite pass."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: runs in the PostgreSQL pass of make test")


@pytest.fixture(scope="session")
def fault_run(tmp_path_factory: pytest.TempPathFactory, django_db_blocker: Any) -> Iterator[Any]:
    """For the fault tests (lantern/tests/faults.py): a migrated PostgreSQL template database
    and a folder for the processes they start; made once per pytest process, when needed."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: runs in the PostgreSQL pass of make test")
    from lantern.tests.faults import FaultRun

    with django_db_blocker.unblock():
        run = FaultRun.prepare(tmp_path_factory.mktemp("fault-processes"))
    try:
        yield run
    finally:
        with django_db_blocker.unblock():
            run.drop()


@pytest.fixture
def fault_database(postgres_only: None, fault_run: Any, django_db_blocker: Any) -> Iterator[Any]:
    """A fresh database for one fault test (dropped afterwards): processes the test starts
    use it, and so does the test itself inside `fault_database.as_default()`."""
    with django_db_blocker.unblock(), fault_run.database() as database:
        yield database


@dataclass
class Cast:
    organizer: User
    reporter: User
    moderator: User
    outsider: User
    partner: Partner


@pytest.fixture
def cast(db: None) -> Cast:
    """An organizer (staff), a partner's reporter and moderator, and an outsider."""
    partner = make_partner(slug="amnesty-poland", name="Amnesty International Poland")
    organizer = User.objects.create_superuser("organizer", "o@example.org", PASSWORD)
    reporter = User.objects.create_user("reporter", "r@example.org", PASSWORD)
    moderator = User.objects.create_user("moderator", "m@example.org", PASSWORD)
    outsider = User.objects.create_user("outsider", "x@example.org", PASSWORD)
    Membership.objects.create(user=reporter, partner=partner, role=Membership.Role.REPORTER)
    Membership.objects.create(user=moderator, partner=partner, role=Membership.Role.MODERATOR)
    return Cast(organizer, reporter, moderator, outsider, partner)


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)


@pytest.fixture
def smtp_server(settings: object) -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on loopback; Django sends to it over SMTP."""
    from aiosmtpd.controller import Controller

    server = SmtpServer("127.0.0.1", free_port())

    class Handler:
        async def handle_DATA(self, _server: object, _session: object, envelope: object) -> str:  # noqa: N802
            server.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
            return "250 Message accepted"

    controller = Controller(Handler(), hostname=server.host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = server.host  # type: ignore[attr-defined]
    settings.EMAIL_PORT = server.port  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        controller.stop()


def chromium_path() -> str | None:
    return os.environ.get("LANTERN_CHROMIUM") or shutil.which("chromium")


@pytest.fixture
def chromium() -> str:
    path = chromium_path()
    require_part(path is not None, "needs Debian's chromium (apt-get install chromium)")
    assert path is not None
    return path


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files (event photos, portraits) from tests never land in var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Each test starts in the site's language: a request in another language (through
    LocaleMiddleware) leaves it active in the thread, which would leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- Keys: the server holds public keys only ----------------------------------------------

_CONTACT_KEY = PrivateKey.generate()  # made before any test runs; tests read with it
_PARTNER_KEY = PrivateKey.generate()


@pytest.fixture
def contact_key() -> PrivateKey:
    """The organization's private key, which only a test (standing in for an operator's
    machine) holds; the server is given its public half."""
    return _CONTACT_KEY


@pytest.fixture
def partner_key(cast: Cast) -> PrivateKey:
    """The cast's partner has a key pair: its public half is in Lantern, this is the other."""
    cast.partner.contact_public_key = encode_key(_PARTNER_KEY.public_key)
    cast.partner.save(update_fields=["contact_public_key"])
    return _PARTNER_KEY


@pytest.fixture(autouse=True)
def _server_holds_only_public_keys(
    request: pytest.FixtureRequest, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test runs with the test key pair's public half as CONTACT_PUBLIC_KEY, and fails
    if anything makes a private key, unless marked `offline_keys` (an operator's command)."""
    settings.CONTACT_PUBLIC_KEY = encode_key(_CONTACT_KEY.public_key)
    if request.node.get_closest_marker("offline_keys"):
        return

    def refuse(self: PrivateKey, *args: object, **kwargs: object) -> None:
        raise AssertionError("a private key was loaded outside an operator's command")

    monkeypatch.setattr(PrivateKey, "__init__", refuse)


@pytest.fixture(autouse=True)
def _audit_log_emptied_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """The audit log refuses DELETE (audit.triggers). Tests with real transactions end with
    Django's flush, which on SQLite deletes rows: empty the log first, with the triggers
    lifted for that moment only (PostgreSQL's flush truncates, which they do not refuse)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up before this, torn down after
    yield
    if connection.vendor == "sqlite":
        from audit import triggers

        triggers.remove(connection)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {triggers.TABLE}")  # noqa: S608 - a constant
        finally:
            triggers.install(connection)
