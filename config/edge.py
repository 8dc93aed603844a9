"""What every request must be before any view reads it: not too large, no NUL bytes.

- A body larger than its limit answers 413 (problem+json under /api/) before a byte of
  it is read. The limit is `REQUEST_BODY_MAX_BYTES`; `REQUEST_BODY_LIMITS` raises it
  for the few paths that take large bodies (a video part, a material upload).
- A NUL byte in a query string, a form field, a JSON string or a header-named value is
  refused (400 / 422) instead of reaching the database: PostgreSQL cannot store it in
  text, SQLite stores it and truncates it on the way out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.parser import Parser

from core.problems import PayloadTooLarge, Problem, render_problem

NUL = "\x00"
logger = logging.getLogger(__name__)


def body_limit_for(path: str) -> int:
    for pattern, limit in settings.REQUEST_BODY_LIMITS.items():
        if re.match(pattern, path):
            return limit
    return settings.REQUEST_BODY_MAX_BYTES


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    message = _("요청 본문이 너무 큽니다. %(mib).1f MiB 이하로 보내 주세요.") % {
        "mib": limit / 1024 / 1024
    }
    if request.path.startswith("/api/"):
        return render_problem(PayloadTooLarge(message, max_bytes=limit))
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


def _has_nul(querydict) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values)
        for key, values in querydict.lists()
    )


class RequestEdgeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit_for(request.path)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return too_large_response(request, limit)
        if _has_nul(request.GET) or NUL in request.path:
            return self._nul_refused(request)
        if (
            request.method == "POST"
            and not request.path.startswith("/api/")
            # CSRF's middleware reads the form anyway; no view here sets upload handlers.
            and request.content_type
            in ("application/x-www-form-urlencoded", "multipart/form-data")
            and _has_nul(request.POST)
        ):
            return self._nul_refused(request)
        return self.get_response(request)

    @staticmethod
    def _nul_refused(request: HttpRequest) -> HttpResponse:
        message = _("입력값에 허용되지 않는 문자(NUL)가 있습니다.")
        if request.path.startswith("/api/"):
            return render_problem(Problem(message))
        return HttpResponse(
            message, status=400, content_type="text/plain; charset=utf-8"
        )


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


class StrictJSONParser(Parser):
    """ninja's JSON body parser, refusing NUL anywhere in the document and any body
    that is not a JSON object (every operation of the API takes an object)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise Problem(_("요청 본문은 JSON 객체({ ... })여야 합니다."))
        if _contains_nul(data):
            raise Problem(_("입력값에 허용되지 않는 문자(NUL)가 있습니다."))
        return data

    def parse_querydict(self, data, list_fields, request):
        if _has_nul(data):
            raise Problem(_("입력값에 허용되지 않는 문자(NUL)가 있습니다."))
        return super().parse_querydict(data, list_fields, request)


class TrustedProxyMiddleware:
    """`REMOTE_ADDR` becomes the client's address as the trusted proxies saw it.

    With `TRUSTED_PROXY_COUNT = n` (n proxies in front of the application, each
    appending to X-Forwarded-For), the client is the n-th address from the right: what
    a client writes to the left of it is its own claim and is ignored. With 0 (no proxy)
    the header is ignored altogether. Everything that keys on an address (the login
    lockout, the access log) then reads `REMOTE_ADDR`. A request with fewer forwarded
    addresses than configured did not come through the proxies: it keeps its socket
    address, and the first such request is logged, since it means the count is wrong.
    """

    warned = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = settings.TRUSTED_PROXY_COUNT
        if count:
            forwarded = [
                part.strip()
                for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if part.strip()
            ]
            if len(forwarded) >= count:
                request.META["REMOTE_ADDR"] = forwarded[-count]
            elif not TrustedProxyMiddleware.warned:
                TrustedProxyMiddleware.warned = True
                logger.warning(
                    "TRUSTED_PROXY_COUNT=%d but a request came with %d forwarded "
                    "address(es): check the proxy set-up (docs/security.md)",
                    count,
                    len(forwarded),
                )
        return self.get_response(request)
