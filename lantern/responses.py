"""Whole responses kept for a few seconds: the hot public reads (the live counters).

A view opts in with `keep_response(response, seconds)`. `KeptResponseMiddleware`, first in
MIDDLEWARE, then answers the next GETs of that path in the same language from the cache
(Django's cache framework) without running the rest of the stack, with the status, headers
and body the full stack produced. Only paths a view opted in for are looked up, and only
responses that set no cookie are kept, so nothing personal is ever shared.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import get_language_from_request

_KEEP = "_lantern_keep_seconds"
_kept_paths: set[str] = set()  # per process; as many as public counters exist


def keep_response(response: HttpResponse, seconds: int) -> HttpResponse:
    """Let the middleware keep this response for `seconds` (0: not at all)."""
    if seconds > 0:
        setattr(response, _KEEP, seconds)
    return response


def _key(request: HttpRequest) -> str:
    return f"lantern:response:{get_language_from_request(request)}:{request.get_full_path()}"


class KeptResponseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "GET" or request.path not in _kept_paths:
            response = self.get_response(request)
            if request.method == "GET" and getattr(response, _KEEP, None):
                _kept_paths.add(request.path)
                self._keep(request, response)
            return response
        key = _key(request)
        kept = cache.get(key)
        if kept is not None:
            status, headers, body = kept
            replay = HttpResponse(body, status=status)
            for name, value in headers:
                replay[name] = value
            return replay
        response = self.get_response(request)
        self._keep(request, response)
        return response

    def _keep(self, request: HttpRequest, response: HttpResponseBase) -> None:
        seconds = getattr(response, _KEEP, 0)
        if (
            seconds
            and isinstance(response, HttpResponse)
            and response.status_code == 200
            and not response.cookies
        ):
            headers = list(response.headers.items())
            cache.set(_key(request), (200, headers, response.content), seconds)
