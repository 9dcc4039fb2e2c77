"""The lean sign path: `POST /campaigns/<slug>/sign/` in front of Django's handler.

A campaign's busiest moment is thousands of supporters signing at once, and through Django's
whole stack a signature costs eight or nine round trips and a form that deep-copies its
fields (docs/PERFORMANCE.md). `LeanSign` wraps Lantern's WSGI application and answers the
common case itself, with the same rules and outcomes as `petitions.views.sign`:

1. only a form POST to the sign URL, without a query string, with a body no larger than the
   guard allows, for a campaign that takes signatures now without email confirmation
   (what each request would query is kept per process for `CAMPAIGN_SECONDS`);
2. CSRF as `CsrfViewMiddleware` checks it (its own Origin, Referer and token checks), the
   host against ALLOWED_HOSTS, HTTPS as SecurityMiddleware redirects to it;
3. the guard's `screen` with plain values;
4. the fields cleaned by `SignForm`'s own field objects (shared, never deep-copied);
5. the signature, its ledger action and the tally shard written in one statement on
   PostgreSQL (a CTE; a server-side prepared statement) and one short transaction on
   SQLite, each committed durably; a second signature with the same mailbox stores nothing;
6. a 302 to the signed page with the headers Django's middleware would have set.

Everything else goes to Django unchanged, with the body it read put back: a request it does
not recognize, a CSRF failure, a form error, a refusal or a held signature (with the guard's
verdict, `SCREENED`, so that the request is not screened twice), a partner's link, a closed,
draft, frozen or confirming campaign.
"""

from __future__ import annotations

import io
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import QueryDict
from django.middleware.csrf import CsrfViewMiddleware, RejectRequest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language_from_request

from actions.models import Action, Tally
from actions.services import default_case_id
from actions.types import ActionType, Channel, Source
from campaigns.models import Campaign
from lantern.guard import HONEYPOT_FIELD, POW_FIELD, Admission, Kind, Refused, screen
from lantern.guard.checks import MAX_BYTES, SCREENED
from lantern.i18n import supported_language
from lantern.privacy import email_dedupe_hash, normalize_email, seal
from lantern.writelock import GroupCommit, WriteLock
from petitions.forms import SignForm, signer_name
from petitions.models import PetitionDelivery, Signature

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
SIGN_PATH = re.compile(r"/campaigns/(?P<slug>[-a-zA-Z0-9_]+)/sign/")
FORM_TYPE = "application/x-www-form-urlencoded"
# Seconds a process keeps what it read about a campaign (open, confirming, frozen, its case).
CAMPAIGN_SECONDS = 1.0
# The statement is sent again once if the connection broke: the dedupe by email makes a
# second try store nothing twice (it answers "already signed" if the first one committed).
RETRIES = 1


@dataclass(frozen=True)
class CampaignState:
    """What the lean path needs to know about a campaign, read at most once a second."""

    pk: int
    lean: bool  # public, taking signatures, counting them without email confirmation
    case_id: int | None
    read_at: float


class Fallback(Exception):
    """Not the common case: Django's view answers (with the guard's verdict, if any)."""

    def __init__(self, verdict: Admission | Refused | None = None) -> None:
        super().__init__()
        self.verdict = verdict


_campaigns: dict[str, CampaignState] = {}
_campaigns_lock = threading.Lock()


def campaign_state(slug: str) -> CampaignState | None:
    now = time.monotonic()
    state = _campaigns.get(slug)
    if state is not None and now - state.read_at < CAMPAIGN_SECONDS:
        return state
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        return None
    frozen = PetitionDelivery.objects.filter(campaign=campaign).exists()
    state = CampaignState(
        pk=campaign.pk,
        lean=(
            campaign.is_public
            and campaign.accepts_signatures
            and not campaign.requires_confirmation
            and not frozen
        ),
        case_id=default_case_id(campaign),
        read_at=now,
    )
    with _campaigns_lock:
        _campaigns[slug] = state
    return state


def forget_campaigns() -> None:
    """Drop what this process kept (tests that change a campaign between requests)."""
    with _campaigns_lock:
        _campaigns.clear()


# --- Checks: CSRF and the form, with Django's own code ------------------------------------

# Its checks only (the stubs do not list these private helpers, hence Any).
_csrf: Any = CsrfViewMiddleware(lambda request: None)  # type: ignore[arg-type]  # never called


def csrf_passes(request: WSGIRequest) -> bool:
    """CsrfViewMiddleware.process_view's checks for a POST, without its 403 page."""
    try:
        if "HTTP_ORIGIN" in request.META:
            if not _csrf._origin_verified(request):
                return False
        elif request.is_secure():
            _csrf._check_referer(request)
        _csrf._check_token(request)
    except RejectRequest:
        return False
    return True


@dataclass(frozen=True)
class Cleaned:
    name: str
    name_display: str
    email: str
    country: str
    city: str
    consent_letter: bool
    consent_contact: bool


def clean(data: QueryDict) -> Cleaned:
    """The sign form's cleaning by its own (class-level, shared) fields; Fallback on any error."""
    fields = SignForm.base_fields
    values: dict[str, Any] = {}
    try:
        for name, field in fields.items():
            values[name] = field.clean(field.widget.value_from_datadict(data, {}, name))
        signed_as = signer_name(values["name"])  # SignForm.clean_name
    except ValidationError:
        raise Fallback() from None
    return Cleaned(
        name=signed_as,
        name_display=values["name_display"],
        email=values["email"],
        country=values["country"],
        city=values["city"],
        consent_letter=values["consent_letter"],
        consent_contact=values["consent_contact"],
    )


# --- The response: what Django's middleware would have sent --------------------------------


def _fixed_headers(secure: bool) -> list[tuple[str, str]]:
    """The headers SecurityMiddleware, XFrameOptionsMiddleware, CSPMiddleware and
    lantern.middleware.permissions_policy add to a redirect (see test_lean_sign.py)."""
    from csp.utils import build_policy

    headers = [("Content-Type", f"text/html; charset={settings.DEFAULT_CHARSET}")]
    if settings.SECURE_HSTS_SECONDS and secure:
        sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            sts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            sts += "; preload"
        headers.append(("Strict-Transport-Security", sts))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        parts = policy.split(",") if isinstance(policy, str) else policy
        headers.append(("Referrer-Policy", ",".join(v.strip() for v in parts)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    headers.append(("Vary", "Accept-Language"))
    headers.append(("Content-Length", "0"))
    headers.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
    csp = build_policy()
    if csp:
        headers.append(("Content-Security-Policy", csp))
    headers.append(("Permissions-Policy", settings.PERMISSIONS_POLICY))
    return headers


_headers: dict[bool, list[tuple[str, str]]] = {}


def redirect_headers(secure: bool, location: str, language: str) -> list[tuple[str, str]]:
    fixed = _headers.get(secure)
    if fixed is None:
        fixed = _headers[secure] = _fixed_headers(secure)
    return [*fixed, ("Location", location), ("Content-Language", language)]


# --- Writing: one round trip on PostgreSQL, one short transaction on SQLite ----------------


@dataclass(frozen=True)
class Row:
    campaign_id: int
    case_id: int | None
    name: str
    name_display: str
    country: str
    city: str
    consent_letter: bool
    consent_contact: bool
    email_hash: str
    email_sealed: bytes
    language: str


def _postgres_sql() -> str:
    signature = Signature._meta.db_table
    action = Action._meta.db_table
    tally = Tally._meta.db_table
    delivery = PetitionDelivery._meta.db_table
    # The action's id is taken from its sequence first, so that one INSERT writes the
    # signature with its action (foreign keys are checked at commit), and the action and the
    # tally are written only if the signature was new.
    return f"""
WITH frozen AS (
    SELECT EXISTS (SELECT 1 FROM {delivery} WHERE campaign_id = %(campaign)s) AS yes
), sig AS (
    INSERT INTO {signature} (
        campaign_id, name, name_display, country, city, consent_letter, consent_contact,
        email_hash, email_sealed, partner_email_sealed, partner_id, action_id, language,
        created_at, confirmed_at, anonymized_at, source, held_for_review
    )
    SELECT %(campaign)s, %(name)s, %(name_display)s, %(country)s, %(city)s,
        %(consent_letter)s, %(consent_contact)s, %(email_hash)s, %(email_sealed)s, NULL,
        NULL, nextval(pg_get_serial_sequence('{action}', 'id')), %(language)s, %(now)s,
        NULL, NULL, %(source)s, false
    WHERE NOT (SELECT yes FROM frozen)
    ON CONFLICT (campaign_id, email_hash) DO NOTHING
    RETURNING action_id
), act AS (
    INSERT INTO {action} (
        id, campaign_id, case_id, action_type, count, country, city, occurred_at,
        utc_offset_minutes, channel, partner_id, source, import_batch_id, recorded_by_id,
        external_id, note, created_at
    )
    SELECT action_id, %(campaign)s, %(case)s::bigint, %(action_type)s, 1, %(country)s, %(city)s,
        %(now)s, 0, %(channel)s, NULL, %(source)s, NULL, NULL, NULL, '', %(now)s
    FROM sig
    RETURNING id
), counted AS (
    INSERT INTO {tally} (campaign_id, country, action_type, shard, count, ledger_rows)
    SELECT %(campaign)s, %(country)s, %(action_type)s, %(shard)s, 1, 1 FROM act
    ON CONFLICT (campaign_id, country, action_type, shard)
    DO UPDATE SET count = {tally}.count + excluded.count,
        ledger_rows = {tally}.ledger_rows + excluded.ledger_rows
)
SELECT (SELECT yes FROM frozen), (SELECT count(*) FROM sig)
"""  # noqa: S608 - our own table names


def _params(row: Row) -> dict[str, Any]:
    return {
        "campaign": row.campaign_id,
        "case": row.case_id,
        "name": row.name,
        "name_display": row.name_display,
        "country": row.country,
        "city": row.city,
        "consent_letter": row.consent_letter,
        "consent_contact": row.consent_contact,
        "email_hash": row.email_hash,
        "email_sealed": row.email_sealed,
        "language": row.language,
        "source": Source.WEB.value,
        "action_type": ActionType.SIGNATURE.value,
        "channel": Channel.ONLINE.value,
        "shard": random.randrange(settings.TALLY_SHARDS),  # noqa: S311 - spreading load
        "now": timezone.now(),
    }


_pg_sql: str | None = None


def _write_postgres(row: Row) -> tuple[bool, bool]:
    import psycopg

    global _pg_sql
    if _pg_sql is None:
        _pg_sql = _postgres_sql()
    connection.ensure_connection()
    raw = connection.connection
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(_pg_sql, _params(row), prepare=True)
        frozen, stored = cursor.fetchone()  # type: ignore[misc]  # one row, always
    return bool(frozen), bool(stored)


def _sqlite_statements() -> tuple[str, str, str, str]:
    signature = Signature._meta.db_table
    action = Action._meta.db_table
    tally = Tally._meta.db_table
    delivery = PetitionDelivery._meta.db_table
    frozen = f"SELECT EXISTS (SELECT 1 FROM {delivery} WHERE campaign_id = :campaign)"  # noqa: S608
    insert_action = f"""
INSERT INTO {action} (
    campaign_id, case_id, action_type, count, country, city, occurred_at, utc_offset_minutes,
    channel, partner_id, source, import_batch_id, recorded_by_id, external_id, note, created_at
) VALUES (:campaign, :case, :action_type, 1, :country, :city, :now, 0, :channel, NULL,
    :source, NULL, NULL, NULL, '', :now)
"""  # noqa: S608
    insert_signature = f"""
INSERT INTO {signature} (
    campaign_id, name, name_display, country, city, consent_letter, consent_contact,
    email_hash, email_sealed, partner_email_sealed, partner_id, action_id, language,
    created_at, confirmed_at, anonymized_at, source, held_for_review
) VALUES (:campaign, :name, :name_display, :country, :city, :consent_letter,
    :consent_contact, :email_hash, :email_sealed, NULL, NULL, :action, :language, :now, NULL,
    NULL, :source, 0)
ON CONFLICT (campaign_id, email_hash) DO NOTHING
"""  # noqa: S608
    count = f"""
INSERT INTO {tally} (campaign_id, country, action_type, shard, count, ledger_rows)
VALUES (:campaign, :country, :action_type, :shard, 1, 1)
ON CONFLICT (campaign_id, country, action_type, shard)
DO UPDATE SET count = {tally}.count + excluded.count,
    ledger_rows = {tally}.ledger_rows + excluded.ledger_rows
"""  # noqa: S608
    return frozen, insert_action, insert_signature, count


_sqlite: tuple[str, str, str, str] | None = None


def _write_sqlite_batch(writer: WriteLock, rows: list[Row]) -> list[tuple[bool, bool]]:
    """Several signatures in one transaction: one commit, one fsync, for all of them."""
    global _sqlite
    if _sqlite is None:
        _sqlite = _sqlite_statements()
    frozen_sql, action_sql, signature_sql, count_sql = _sqlite
    results: list[tuple[bool, bool]] = []
    frozen: dict[int, bool] = {}  # per campaign, read once per batch
    # BEGIN IMMEDIATE (settings: transaction_mode): the write lock first, so no dedupe
    # race and no lock upgrade; COMMIT with synchronous=FULL is durable. The writers of
    # every process queue for it here (lantern.writelock), not in SQLite's busy handler.
    with writer.held(), transaction.atomic():
        raw = connection.connection
        with connection.wrap_database_errors:
            for row in rows:
                params = _params(row)
                # As Django stores an aware time on SQLite: naive, in UTC.
                params["now"] = params["now"].replace(tzinfo=None).isoformat(" ")
                if row.campaign_id not in frozen:
                    frozen[row.campaign_id] = bool(raw.execute(frozen_sql, params).fetchone()[0])
                if frozen[row.campaign_id]:
                    results.append((True, False))
                    continue
                raw.execute("SAVEPOINT lean_signature")
                params["action"] = raw.execute(action_sql, params).lastrowid
                stored = raw.execute(signature_sql, params).rowcount == 1
                if stored:
                    raw.execute(count_sql, params)
                else:
                    raw.execute("ROLLBACK TO lean_signature")  # signed before: the action goes
                raw.execute("RELEASE lean_signature")
                results.append((False, stored))
    return results


# One per database file and process: the signatures arriving while a batch commits wait and
# go together in the next (lantern.writelock.GroupCommit), each answered once it is committed.
_sqlite_groups: dict[str, GroupCommit[Row, tuple[bool, bool]]] = {}
_sqlite_setup = threading.Lock()


def _write_sqlite(row: Row) -> tuple[bool, bool]:
    name = str(connection.settings_dict["NAME"])
    group = _sqlite_groups.get(name)
    if group is None:
        with _sqlite_setup:
            if name not in _sqlite_groups:
                write_many = partial(_write_sqlite_batch, WriteLock(name))
                _sqlite_groups[name] = GroupCommit(write_many)
            group = _sqlite_groups[name]
    return group.write(row)


def write_signature(row: Row) -> tuple[bool, bool]:
    """Store a new signature, counted: (frozen, stored). Nothing is stored for a frozen
    petition, nor for a mailbox that signed the campaign before."""
    write = _write_postgres if connection.vendor == "postgresql" else _write_sqlite
    # What Django's request_started does for the rest: a connection past CONN_MAX_AGE, or
    # left unusable by an error, is closed here and opened again; no health check query.
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()
    connection.health_check_done = True  # type: ignore[attr-defined]  # Django's own flag
    for attempt in range(RETRIES + 1):
        try:
            return write(row)
        except (OperationalError, InterfaceError):
            connection.close()  # the next try (or the next request) connects again
            if attempt == RETRIES:
                raise
        except DatabaseError:
            connection.close()
            raise
    raise AssertionError("unreachable")


# --- The WSGI wrapper ----------------------------------------------------------------------


def _language(request: WSGIRequest) -> str:
    """The language LocaleMiddleware would activate (Lantern uses no language prefixes)."""
    return get_language_from_request(request, check_path=False)


class LeanSign:
    """Lantern's WSGI application: the sign POST's common case here, the rest to Django."""

    def __init__(self, django: WSGIApp) -> None:
        self.django = django

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("QUERY_STRING"):
            return self.django(environ, start_response)
        match = SIGN_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None:
            return self.django(environ, start_response)
        content_type = environ.get("CONTENT_TYPE", "")
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return self.django(environ, start_response)
        kind, _, params = content_type.lower().partition(";")
        if (
            not 0 < length <= MAX_BYTES[Kind.SIGN]
            or kind.strip() != FORM_TYPE
            or params.replace(" ", "") not in ("", "charset=utf-8")  # Django decodes others
        ):
            return self.django(environ, start_response)
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # intact for Django, whatever happens next
        if len(body) != length:  # the client stopped early: Django answers as it does
            return self.django(environ, start_response)
        try:
            return self.sign(environ, start_response, match["slug"], body)
        except Fallback as fallback:
            if fallback.verdict is not None:
                environ[SCREENED] = (Kind.SIGN, match["slug"], fallback.verdict)
            environ["wsgi.input"] = io.BytesIO(body)
            return self.django(environ, start_response)

    def sign(
        self, environ: dict[str, Any], start_response: Callable[..., Any], slug: str, body: bytes
    ) -> list[bytes]:
        request = WSGIRequest(environ)
        try:
            request.get_host()
            data = QueryDict(body, encoding=settings.DEFAULT_CHARSET)
        except Exception:  # noqa: BLE001 - a bad host, too many fields: Django answers it
            raise Fallback() from None
        # As if Django had parsed the body (it is: QueryDict is its parser).
        request._post, request._files = data, MultiValueDict()  # type: ignore[attr-defined]
        secure = request.is_secure()
        if settings.SECURE_SSL_REDIRECT and not secure:
            raise Fallback()  # SecurityMiddleware redirects to HTTPS
        if data.get("partner"):
            raise Fallback()  # attributed to a partner: its key, its webhooks
        try:
            state = campaign_state(slug)
        except DatabaseError:
            connection.close()  # a broken connection: Django's view connects again
            raise Fallback() from None
        if state is None or not state.lean:
            raise Fallback()
        if not csrf_passes(request):
            raise Fallback()  # Django's 403, logged as Django logs it
        meta = request.META
        try:
            admission = screen(
                Kind.SIGN,
                peer=meta.get("REMOTE_ADDR", ""),
                x_forwarded_for=meta.get("HTTP_X_FORWARDED_FOR"),
                forwarded=meta.get("HTTP_FORWARDED"),
                campaign=slug,
                content_length=meta.get("CONTENT_LENGTH"),
                honeypot=data.get(HONEYPOT_FIELD, ""),
                pow_payload=data.get(POW_FIELD, ""),
            )
        except Refused as refused:
            raise Fallback(refused) from None
        if admission.held:
            raise Fallback(admission)
        try:
            cleaned = clean(data)
        except Fallback:
            raise Fallback(admission) from None
        language = _language(request)
        normalized = normalize_email(cleaned.email)
        row = Row(
            campaign_id=state.pk,
            case_id=state.case_id,
            name=cleaned.name,
            name_display=cleaned.name_display,
            country=cleaned.country,
            city=cleaned.city.strip(),
            consent_letter=cleaned.consent_letter,
            consent_contact=cleaned.consent_contact,
            email_hash=email_dedupe_hash(normalized),
            email_sealed=seal(normalized),
            language=supported_language(language),
        )
        try:
            frozen, stored = write_signature(row)
        except DatabaseError:
            raise Fallback(admission) from None  # Django tries once more, or answers 500
        if frozen:
            raise Fallback(admission)  # frozen since this process last looked: Django's 409
        outcome = "counted" if stored else "already_signed"
        location = (
            f"{get_script_name(environ).rstrip('/')}/campaigns/{slug}/signed/?outcome={outcome}"
        )
        start_response("302 Found", redirect_headers(secure, location, language))
        return [b""]
