"""The lean sign path (petitions/lean.py) through a real WSGI call of lantern.wsgi.application:
the same stored rows, outcomes and headers as Django's view for the same forms, valid or not;
CSRF refused as Django refuses it; the guard's refusals and held signatures answered by Django
with the guard's one verdict; one signature when the same mailbox signs twice at once."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, not in the stubs
    _get_new_csrf_string,
    _mask_cipher_secret,
)
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions.models import Action, Tally
from actions.tallies import read_totals
from campaigns.models import Campaign
from lantern import wsgi
from lantern.conf import parse_rates
from lantern.testing import at_once, make_campaign, make_partner, solve_pow
from lantern.writelock import WriteLock
from petitions import lean
from petitions.models import PetitionDelivery, Signature

SECRET = _get_new_csrf_string()
FORM = {
    "name": "Anna Nowak",
    "name_display": "full",
    "email": "anna@example.org",
    "country": "PL",
    "city": "Warsaw",
    "consent_letter": "on",
}


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def location(self) -> str:
        return dict(self.headers).get("Location", "")


@dataclass
class CountingDjango:
    """Django's WSGI application, counting the requests the lean path hands it."""

    calls: int = 0
    bodies: list[bytes] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.calls += 1
        stream = environ["wsgi.input"]
        self.bodies.append(stream.getvalue() if isinstance(stream, io.BytesIO) else b"")
        return wsgi.django_application(environ, start_response)


def environ_for(
    path: str,
    fields: dict[str, str],
    *,
    cookie: str | None = SECRET,
    headers: dict[str, str] | None = None,
    query: str = "",
) -> dict[str, Any]:
    body = urlencode(fields).encode()
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie is not None:
        environ["HTTP_COOKIE"] = f"{settings.CSRF_COOKIE_NAME}={cookie}"
    for name, value in (headers or {}).items():
        environ[name] = value
    return environ


def call(app: Callable[..., Iterable[bytes]], environ: dict[str, Any]) -> Answer:
    started: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        started.append((int(status.split()[0]), list(headers)))

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return Answer(started[0][0], started[0][1], body)


def sign_path(campaign: Campaign) -> str:
    return f"/campaigns/{campaign.slug}/sign/"


def form(**fields: str) -> dict[str, str]:
    """A sign form as the page sends it: CSRF token, empty honeypot, a solved proof-of-work."""
    values = {**FORM, **fields}
    return {
        "csrfmiddlewaretoken": _mask_cipher_secret(SECRET),
        **{k: v for k, v in values.items() if v is not None},
        "website": "",
        "altcha": solve_pow(),
    }


@pytest.fixture(autouse=True)
def _fresh_campaign_state() -> Iterator[None]:
    lean.forget_campaigns()
    yield
    lean.forget_campaigns()


@pytest.fixture(autouse=True)
def _connections_kept_between_requests() -> Iterator[None]:
    """As Django's test client does: a request must not close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def django_app() -> CountingDjango:
    return CountingDjango()


@pytest.fixture
def app(django_app: CountingDjango) -> lean.LeanSign:
    return lean.LeanSign(django_app)


def stored(campaign: Campaign) -> dict[str, Any]:
    """What signing stored for a campaign, without ids, times and the (random) sealed box."""
    signatures = sorted(
        Signature.objects.filter(campaign=campaign).values_list(
            "name",
            "name_display",
            "country",
            "city",
            "consent_letter",
            "consent_contact",
            "email_hash",
            "partner_id",
            "language",
            "confirmed_at",
            "anonymized_at",
            "source",
            "held_for_review",
            "partner_email_sealed",
        )
    )
    counted = Signature.objects.filter(campaign=campaign, action__isnull=False)
    case = campaign.cases.get().pk
    actions = sorted(
        (row[0] == case, *row[1:])  # each campaign's own (only) case
        for row in Action.objects.filter(campaign=campaign).values_list(
            "case_id",
            "action_type",
            "count",
            "country",
            "city",
            "utc_offset_minutes",
            "channel",
            "partner_id",
            "source",
            "import_batch_id",
            "recorded_by_id",
            "external_id",
            "note",
        )
    )
    sealed = {bytes(s.email_sealed or b"")[:8] for s in Signature.objects.filter(campaign=campaign)}
    return {
        "signatures": signatures,
        "counted_actions": sorted(counted.values_list("action__country", "action__city")),
        "actions": actions,
        "tally": read_totals(campaign.pk).by_country,
        "tally_rows": sum(
            Tally.objects.filter(campaign=campaign).values_list("ledger_rows", flat=True)
        ),
        "sealed_by": sealed,
    }


# --- The same rows and outcomes as Django's view --------------------------------------------

names = st.sampled_from(
    ["Anna Nowak", "  Ales  ", "", "   ", "x" * 200, "x" * 201, "A\x00B", "Аня"]
)
emails = st.sampled_from(
    [
        "anna@example.org",
        "Anna@Example.org ",
        "anna+w4r@example.org",
        "ales@example.org",
        "not-an-email",
        "",
        "someone@mailinator.com",
        "a" * 250 + "@example.org",
    ]
)
countries = st.sampled_from(["PL", "BY", "", "XX", "pl", None])
cities = st.sampled_from(["", "Warsaw", "  Minsk ", "x" * 100, "x" * 101])
displays = st.sampled_from(["full", "initials", "anonymous", "", "everyone", None])
boxes = st.sampled_from([None, "on", "", "false", "0", "1"])
forms = st.fixed_dictionaries(
    {
        "name": names,
        "email": emails,
        "country": countries,
        "city": cities,
        "name_display": displays,
        "consent_letter": boxes,
        "consent_contact": boxes,
    }
)
_supporters = itertools.count()
languages = st.sampled_from(["", "pl", "ru-RU,ru;q=0.9", "de", "be,en;q=0.5"])


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sent=st.lists(forms, min_size=1, max_size=3), accept_language=languages)
def test_lean_path_and_django_view_store_the_same_and_answer_the_same(
    app: lean.LeanSign, sent: list[dict[str, Any]], accept_language: str
) -> None:
    lean_campaign = make_campaign(requires_confirmation=False)
    django_campaign = make_campaign(requires_confirmation=False)
    language = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    for fields in sent:
        # Each supporter from their own address, the same for both paths' limits.
        k = next(_supporters)
        headers = {**language, "REMOTE_ADDR": f"10.0.{k // 250}.{k % 250 + 1}"}
        data = form(**fields)
        data.pop("altcha")
        a = call(
            app,
            environ_for(sign_path(lean_campaign), {**data, "altcha": solve_pow()}, headers=headers),
        )
        b = call(
            wsgi.django_application,
            environ_for(
                sign_path(django_campaign), {**data, "altcha": solve_pow()}, headers=headers
            ),
        )
        assert a.status == b.status
        assert a.location.replace(lean_campaign.slug, "X") == b.location.replace(
            django_campaign.slug, "X"
        )
        if a.status != 302:
            assert a.body.replace(lean_campaign.slug.encode(), b"X").count(b"errorlist") == (
                b.body.replace(django_campaign.slug.encode(), b"X").count(b"errorlist")
            )
    mine, theirs = stored(lean_campaign), stored(django_campaign)
    assert mine == theirs


@pytest.mark.django_db
def test_a_valid_form_is_signed_by_the_lean_path_without_django(
    app: lean.LeanSign, django_app: CountingDjango
) -> None:
    campaign = make_campaign(requires_confirmation=False)
    answer = call(app, environ_for(sign_path(campaign), form()))
    assert answer.status == 302
    assert answer.location == f"/campaigns/{campaign.slug}/signed/?outcome=counted"
    assert django_app.calls == 0
    signature = Signature.objects.get(campaign=campaign)
    assert signature.action is not None and signature.action.case_id is not None
    assert read_totals(campaign.pk).total == 1

    again = call(app, environ_for(sign_path(campaign), form(email=" ANNA@example.org")))
    assert again.location == f"/campaigns/{campaign.slug}/signed/?outcome=already_signed"
    assert django_app.calls == 0
    assert Signature.objects.filter(campaign=campaign).count() == 1
    assert Action.objects.filter(campaign=campaign).count() == 1
    assert read_totals(campaign.pk).total == 1


@pytest.mark.django_db
@pytest.mark.parametrize("secure", [False, True])
def test_the_lean_redirect_carries_the_headers_django_sends(
    app: lean.LeanSign, django_app: CountingDjango, settings: Any, secure: bool
) -> None:
    if secure:
        settings.SECURE_HSTS_SECONDS = 31_536_000
        lean._headers.clear()
    campaign = make_campaign(requires_confirmation=False)
    other = make_campaign(requires_confirmation=False)
    extra = {"HTTP_ACCEPT_LANGUAGE": "pl", "HTTP_REFERER": "https://127.0.0.1/"}
    scheme = {"wsgi.url_scheme": "https", "SERVER_PORT": "443"} if secure else {}
    a = call(app, {**environ_for(sign_path(campaign), form(), headers=extra), **scheme})
    django = WSGIHandler()  # its middleware reads the settings of this test
    b = call(django, {**environ_for(sign_path(other), form(), headers=extra), **scheme})
    lean._headers.clear()
    assert django_app.calls == 0
    assert a.status == b.status == 302
    mine = sorted((k, v.replace(campaign.slug, "X")) for k, v in a.headers)
    theirs = sorted((k, v.replace(other.slug, "X")) for k, v in b.headers)
    assert mine == theirs
    assert ("Strict-Transport-Security" in dict(a.headers)) is secure
    assert {"Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"} <= dict(
        a.headers
    ).keys()
    assert Signature.objects.get(campaign=campaign).language == "pl"


# --- CSRF --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    ["no cookie", "no token", "wrong token", "foreign origin", "https without referer"],
)
def test_csrf_failures_get_djangos_403_and_store_nothing(
    app: lean.LeanSign, django_app: CountingDjango, case: str
) -> None:
    campaign = make_campaign(requires_confirmation=False)
    data = form()
    environ_args: dict[str, Any] = {}
    scheme: dict[str, str] = {}
    if case == "no cookie":
        environ_args["cookie"] = None
    elif case == "no token":
        data.pop("csrfmiddlewaretoken")
    elif case == "wrong token":
        data["csrfmiddlewaretoken"] = _mask_cipher_secret(_get_new_csrf_string())
    elif case == "foreign origin":
        environ_args["headers"] = {"HTTP_ORIGIN": "http://evil.example"}
    else:
        scheme = {"wsgi.url_scheme": "https", "SERVER_PORT": "443"}
    answer = call(app, {**environ_for(sign_path(campaign), data, **environ_args), **scheme})
    assert answer.status == 403
    assert django_app.calls == 1
    assert not Signature.objects.exists() and not Action.objects.exists()


@pytest.mark.django_db
def test_the_pages_own_origin_passes(app: lean.LeanSign, django_app: CountingDjango) -> None:
    campaign = make_campaign(requires_confirmation=False)
    headers = {"HTTP_ORIGIN": "http://127.0.0.1"}
    answer = call(app, environ_for(sign_path(campaign), form(), headers=headers))
    assert answer.status == 302 and django_app.calls == 0


# --- The guard -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_filled_honeypot_is_refused_by_django_keeping_the_form(
    app: lean.LeanSign, django_app: CountingDjango
) -> None:
    campaign = make_campaign(requires_confirmation=False)
    answer = call(app, environ_for(sign_path(campaign), {**form(), "website": "http://spam"}))
    assert answer.status == 400 and b"Leave this empty" in answer.body
    assert b'value="Anna Nowak"' in answer.body
    assert django_app.calls == 1
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_a_spent_proof_of_work_is_refused(app: lean.LeanSign) -> None:
    campaign = make_campaign(requires_confirmation=False)
    data = form()
    assert call(app, environ_for(sign_path(campaign), data)).status == 302
    again = call(app, environ_for(sign_path(campaign), {**data, "email": "other@example.org"}))
    assert again.status == 400
    assert Signature.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db
def test_past_the_hard_limit_django_answers_429_and_nothing_is_stored(
    app: lean.LeanSign, settings: Any
) -> None:
    settings.SIGN_RATE_CLIENT_HARD = parse_rates("1/minute")
    campaign = make_campaign(requires_confirmation=False)
    assert call(app, environ_for(sign_path(campaign), form())).status == 302
    refused = call(app, environ_for(sign_path(campaign), form(email="b@example.org")))
    assert refused.status == 429 and ("Retry-After" in dict(refused.headers))
    assert Signature.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db
def test_past_the_soft_limit_the_signature_is_held_and_screened_once(
    app: lean.LeanSign, django_app: CountingDjango, settings: Any
) -> None:
    settings.SIGN_RATE_CLIENT_SOFT = parse_rates("1/minute")
    campaign = make_campaign(requires_confirmation=False)
    call(app, environ_for(sign_path(campaign), form()))
    held = call(app, environ_for(sign_path(campaign), form(email="b@example.org")))
    # Django signed it with the lean path's verdict: the proof-of-work was not spent twice.
    assert held.status == 302 and held.location.endswith("?outcome=held")
    assert django_app.calls == 1
    signature = Signature.objects.get(campaign=campaign, held_for_review=True)
    assert signature.action is None
    assert read_totals(campaign.pk).total == 1


@pytest.mark.django_db
def test_a_form_error_after_screening_is_rendered_by_django_with_the_body_intact(
    app: lean.LeanSign, django_app: CountingDjango
) -> None:
    campaign = make_campaign(requires_confirmation=False)
    environ = environ_for(sign_path(campaign), form(country="XX"))
    body = environ["wsgi.input"].getvalue()
    answer = call(app, environ)
    assert answer.status == 400 and b"errorlist" in answer.body
    assert django_app.bodies == [body]
    assert not Signature.objects.exists()


# --- What is not the common case goes to Django ----------------------------------------------


@pytest.mark.django_db
def test_confirming_closed_frozen_and_partner_campaigns_are_left_to_django(
    app: lean.LeanSign, django_app: CountingDjango
) -> None:
    confirming = make_campaign(requires_confirmation=True)
    answer = call(app, environ_for(sign_path(confirming), form()))
    assert answer.location.endswith("?outcome=confirmation_sent")

    closed = make_campaign(requires_confirmation=False, status=Campaign.Status.CLOSED)
    assert call(app, environ_for(sign_path(closed), form(email="c@example.org"))).status == 409

    frozen = make_campaign(requires_confirmation=False)
    PetitionDelivery.objects.create(campaign=frozen, frozen_at="2012-12-24T12:00:00Z")
    assert call(app, environ_for(sign_path(frozen), form(email="d@example.org"))).status == 409

    partner = make_partner()
    with_partner = make_campaign(requires_confirmation=False, partners=[partner])
    data = {**form(email="e@example.org"), "partner": partner.slug}
    assert call(app, environ_for(sign_path(with_partner), data)).status == 302
    assert Signature.objects.get(campaign=with_partner).partner == partner

    missing = call(app, environ_for("/campaigns/no-such/sign/", form(email="f@example.org")))
    assert missing.status == 404
    assert django_app.calls == 5
    assert not Action.objects.filter(campaign__in=[closed, frozen]).exists()


@pytest.mark.django_db
def test_a_petition_frozen_since_the_process_looked_stores_nothing(
    app: lean.LeanSign, django_app: CountingDjango
) -> None:
    campaign = make_campaign(requires_confirmation=False)
    assert call(app, environ_for(sign_path(campaign), form())).status == 302
    PetitionDelivery.objects.create(campaign=campaign, frozen_at="2012-12-24T12:00:00Z")
    late = call(app, environ_for(sign_path(campaign), form(email="late@example.org")))
    assert late.status == 409 and django_app.calls == 1
    assert Signature.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db
def test_on_postgresql_the_sign_statement_is_prepared_once_per_connection(
    postgres_only: None, app: lean.LeanSign, django_app: CountingDjango
) -> None:
    """Django turns psycopg's prepared statements off unless the settings ask for them;
    without them PostgreSQL plans the statement for every signature (docs/PERFORMANCE.md)."""
    campaign = make_campaign(requires_confirmation=False)
    for n in range(3):
        answer = call(app, environ_for(sign_path(campaign), form(email=f"p{n}@example.org")))
        assert answer.location.endswith("outcome=counted")
    assert django_app.calls == 0
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%INSERT INTO petitions_signature%"],
        )
        assert cursor.fetchone() == (1,)


# --- The same mailbox at the same moment -----------------------------------------------------


def sign_at_once(
    app: lean.LeanSign, campaign: Campaign, environs: list[dict[str, Any]]
) -> list[str]:
    """Every request sent at the same moment, each from its own thread; their outcomes."""
    lean.campaign_state(campaign.slug)  # read before the race, as a warm process has it

    def send(environ: dict[str, Any]) -> str:
        return call(app, environ).location.rsplit("=", 1)[1]

    return sorted(at_once(send, environs))


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_the_same_mailbox_at_once_store_one(app: lean.LeanSign) -> None:
    campaign = make_campaign(requires_confirmation=False)
    environs = [
        environ_for(sign_path(campaign), form(email=spelling))
        for spelling in ("anna.nowak@example.org", "Anna.Nowak+w4r@example.org")
    ]
    assert sign_at_once(app, campaign, environs) == ["already_signed", "counted"]
    assert Signature.objects.filter(campaign=campaign).count() == 1
    assert Action.objects.filter(campaign=campaign).count() == 1
    assert read_totals(campaign.pk).total == 1


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_signatures_at_once_stores_each_mailbox_once(app: lean.LeanSign) -> None:
    """On SQLite the burst's signatures share commits (GroupCommit); on PostgreSQL each
    commits alone. Either way each answer is the truth about its own signature."""
    campaign = make_campaign(requires_confirmation=False)
    mailboxes = [f"signer{n}@example.org" for n in range(8)]
    spellings = [*mailboxes, *(m.upper() for m in mailboxes[:4])]
    environs = [environ_for(sign_path(campaign), form(email=email)) for email in spellings]
    for n, environ in enumerate(environs):
        environ["REMOTE_ADDR"] = f"203.0.113.{n + 1}"  # supporters, each on their own
    outcomes = sign_at_once(app, campaign, environs)
    assert outcomes == ["already_signed"] * 4 + ["counted"] * 8
    assert Signature.objects.filter(campaign=campaign).count() == 8
    assert Action.objects.filter(campaign=campaign).count() == 8
    assert read_totals(campaign.pk).total == 8


@pytest.mark.django_db
def test_one_sqlite_batch_answers_each_signature_for_itself() -> None:
    if connections["default"].vendor != "sqlite":
        pytest.skip("SQLite's batch writer")
    open_, frozen = make_campaign(requires_confirmation=False), make_campaign(slug="frozen")
    PetitionDelivery.objects.create(campaign=frozen, frozen_at="2012-12-24T12:00:00Z")

    def row(campaign: Campaign, email_hash: str) -> lean.Row:
        return lean.Row(
            campaign_id=campaign.pk,
            case_id=campaign.cases.get().pk,
            name="Anna Nowak",
            name_display="full",
            country="PL",
            city="",
            consent_letter=True,
            consent_contact=False,
            email_hash=email_hash,
            email_sealed=b"sealed",
            language="pl",
        )

    batch = [row(open_, "a"), row(open_, "a"), row(frozen, "b"), row(open_, "c")]
    writer = WriteLock(connections["default"].settings_dict["NAME"])
    assert lean._write_sqlite_batch(writer, batch) == [
        (False, True),
        (False, False),  # the same mailbox again, in the same batch: nothing stored
        (True, False),
        (False, True),
    ]
    assert set(Signature.objects.values_list("email_hash", flat=True)) == {"a", "c"}
    assert Action.objects.filter(campaign=open_).count() == 2
    assert not Action.objects.filter(campaign=frozen).exists()
    assert read_totals(open_.pk).total == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"QUERY_STRING": "partner=somebody"},
        {"CONTENT_TYPE": "multipart/form-data; boundary=x"},
        {"CONTENT_LENGTH": "100000"},
        {"REQUEST_METHOD": "PUT"},
    ],
)
def test_requests_not_of_the_common_shape_go_to_django_untouched(
    app: lean.LeanSign, django_app: CountingDjango, change: dict[str, str]
) -> None:
    campaign = make_campaign(requires_confirmation=False)
    environ = {**environ_for(sign_path(campaign), form()), **change}
    body = environ["wsgi.input"].getvalue()
    call(app, environ)
    assert django_app.calls == 1 and django_app.bodies == [body]
