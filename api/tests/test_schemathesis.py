"""Schemathesis generates requests from the OpenAPI document and sends them to the real
Django application (WSGI, in-process, on the test database): no answer may be a 5xx, and
every answer must match the document (status code, content type, body schema).

Every operation of the document is tested, and the document lists every route of the API
(`test_the_document_lists_every_route_of_the_api`). Two runs: valid and invalid data mixed
(with realistic values, below), and invalid bodies alone, which must be refused with a 4xx
and write nothing.

Partners' endpoints get a real token with every scope, of a partner that takes part in the
live campaign; half of the generated slugs and bodies are made realistic (see the hooks), so
that successful requests are explored as well as refused ones. A bounded number of examples per
operation keeps the whole run well under a minute.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import Cast
from lantern.testing import make_campaign, make_case, row_counts
from partners.models import ApiToken
from partners.services import create_api_token
from partners.tests.helpers import report, signer

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
# Invalid bodies only (the operations that take one), without the realistic values below.
invalid = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    method="POST"
)
invalid.config.generation.update(modes=[GenerationMode.NEGATIVE])
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Not negative_data_rejection: it counts unknown query parameters, which HTTP APIs ignore,
# and the Authorization header this test always adds, as data that should be refused.
SLUG = "write-for-rights"


@pytest.fixture(autouse=True)
def _keep_the_test_database_open() -> Iterator[None]:
    """As Django's test client does: a finished request must not close the test's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(cast: Cast) -> str:
    case = make_case(slug="ales-bialiatski", name="Ales Bialiatski")
    campaign = make_campaign(slug=SLUG, cases=[case], partners=[cast.partner])
    report(campaign, cast.partner, ("evt-1", "PL", 120), ("evt-2", "JP", 1000))
    signer(campaign, cast.partner, "Anna Nowak", "anna@example.org")
    return create_api_token(cast.partner, "schemathesis", list(ApiToken.Scope.values))[1]


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """Half of the generated slugs are real ones, so that the 2xx paths are explored too."""
    if path_parameters and "slug" in path_parameters and hash(str(path_parameters)) % 2:
        path_parameters["slug"] = "ales-bialiatski" if "/cases/" in context.operation.path else SLUG
    return path_parameters


@schema.hook
def map_body(context: Any, body: Any) -> Any:
    """Half of the generated bodies get real values where the schema cannot say what is valid
    (a country, an email address, a case, a time with its offset), so that signing, recording
    and submitting letters succeed too, not only fail validation."""
    if not isinstance(body, dict) or hash(repr(sorted(body))) % 2 == 0:
        return body
    realistic = {
        "country": "PL",
        "author_country": "Poland",
        "email": f"signer{abs(hash(repr(body))) % 10_000}@example.org",
        "author_email": "",
        "case": "ales-bialiatski",
    }
    body = {**body, **{key: value for key, value in realistic.items() if key in body}}
    if isinstance(body.get("actions"), list):
        body["actions"] = [
            {**item, "country": "PL", "occurred_at": "2012-12-10T18:00:00+01:00"}
            if isinstance(item, dict)
            else item
            for item in body["actions"]
        ]
    return body


BOUNDED = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@settings(BOUNDED, max_examples=15)
def test_api_answers_match_the_document_and_never_fail(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@invalid.parametrize()
@settings(BOUNDED, max_examples=10)
def test_an_invalid_body_is_refused_and_writes_nothing(case: Any, token: str) -> None:
    before = row_counts()
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
    body = case.meta.components.get(ParameterLocation.BODY) if case.meta else None
    if body is not None and body.mode.is_negative and case.body is not None:
        assert 400 <= response.status_code < 500, (case.body, response.text)
        assert row_counts() == before, "a refused request wrote nothing"


def _api_routes() -> set[str]:
    def walk(patterns: list[Any], prefix: str) -> set[str]:
        found: set[str] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found |= walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.add(prefix + str(pattern.pattern))
        return found

    routes = walk(get_resolver().url_patterns, "")
    prefix = "api/v1/"
    not_operations = {prefix, f"{prefix}openapi.json", f"{prefix}docs"}
    return {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route in routes
        if route.startswith(prefix) and route not in not_operations
    }


def test_the_document_lists_every_route_of_the_api() -> None:
    """So that the runs above, which test what the document lists, test every route."""
    document = schema.raw_schema["paths"]
    assert _api_routes() == set(document)
