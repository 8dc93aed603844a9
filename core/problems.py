"""The one error hierarchy of the API, rendered as RFC 9457 problem+json.

Services raise `Problem` subclasses; routers let them through; the handlers installed
here turn every error (ours, django-ninja's, Django's 404) into the same shape.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    ValidationError,
)

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemOut(Schema):
    """The documented shape of every error answer (validation errors add `errors`)."""

    type: str
    title: str
    status: int
    detail: str


class Problem(Exception):
    """An error a client can act on. `detail` is Korean text a person can read."""

    status = 400
    type = "urn:slacademy:problem:bad-request"
    title = "잘못된 요청입니다."

    def __init__(self, detail: str = "", **extra: Any) -> None:
        self.detail = detail or self.title
        self.extra = extra
        super().__init__(self.detail)


class NotFound(Problem):
    status = 404
    type = "urn:slacademy:problem:not-found"
    title = "찾을 수 없습니다."


class Conflict(Problem):
    status = 409
    type = "urn:slacademy:problem:conflict"
    title = "다른 요청과 충돌합니다."


class PermissionDenied(Problem):
    status = 403
    type = "urn:slacademy:problem:forbidden"
    title = "권한이 없습니다."


class Unauthenticated(Problem):
    status = 401
    type = "urn:slacademy:problem:unauthenticated"
    title = "로그인이 필요합니다."


class TooManyRequests(Problem):
    status = 429
    type = "urn:slacademy:problem:too-many-requests"
    title = "요청이 너무 많습니다."


class PayloadTooLarge(Problem):
    status = 413
    type = "urn:slacademy:problem:payload-too-large"
    title = "요청 본문이 너무 큽니다."


class ServiceUnavailable(Problem):
    status = 503
    type = "urn:slacademy:problem:unavailable"
    title = "일시적으로 서비스를 이용할 수 없습니다."


def problem_response(
    *, status: int, type: str, title: str, detail: str, **extra: Any
) -> HttpResponse:
    body = {"type": type, "title": title, "status": status, "detail": detail, **extra}
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def render_problem(problem: Problem) -> HttpResponse:
    return problem_response(
        status=problem.status,
        type=problem.type,
        title=problem.title,
        detail=problem.detail,
        **problem.extra,
    )


def _field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    fields = []
    for error in errors:
        # ninja's loc is ("body", "payload", "field", ...); the client wants the field path.
        loc = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "payload")
        ]
        fields.append(
            {
                "field": ".".join(loc) or None,
                "message": error.get("msg", ""),
                "code": error.get("type"),
            }
        )
    return fields


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Problem)
    def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return render_problem(exc)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem_response(
            status=422,
            type="urn:slacademy:problem:validation",
            title=_("입력값을 확인해 주세요."),
            detail=_("요청의 일부 값이 올바르지 않습니다."),
            errors=_field_errors(exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def _authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return render_problem(
            Unauthenticated(_("로그인하거나 유효한 토큰을 보내 주세요."))
        )

    @api.exception_handler(AuthorizationError)
    def _authorization(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return render_problem(PermissionDenied())

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(
            status=exc.status_code,
            type="about:blank",
            title=str(exc),
            detail=str(exc),
        )

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A number beyond what the database stores (an id of 30 digits, say) names
        # nothing that can exist: the client's error, not the server's.
        return render_problem(Problem(_("값이 허용 범위를 벗어났습니다.")))

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The database is restarting or unreachable: nothing was acknowledged, so the
        # client may send the same request again (heartbeats are idempotent by seq).
        logger.warning("Database unavailable on %s: %s", request.path, exc)
        response = render_problem(
            ServiceUnavailable(
                _("잠시 후 다시 시도해 주세요. 데이터베이스에 연결할 수 없습니다.")
            )
        )
        response["Retry-After"] = "5"
        return response

    @api.exception_handler(MultiPartParserError)
    def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # A form body the parser cannot read (e.g. multipart without a boundary) is the
        # client's error, not the server's.
        return render_problem(
            Problem(_("요청 본문을 읽을 수 없습니다. JSON으로 보내 주세요."))
        )

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # A body without a Content-Length that grew past DATA_UPLOAD_MAX_MEMORY_SIZE.
        return render_problem(PayloadTooLarge(_("요청 본문이 너무 큽니다.")))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return render_problem(NotFound())

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The trace goes to the log only; the client gets no internals.
        logger.exception("Unhandled API error on %s", request.path)
        return problem_response(
            status=500,
            type="urn:slacademy:problem:server-error",
            title=_("서버 오류가 발생했습니다."),
            detail=_("잠시 후 다시 시도해 주세요. 문제가 계속되면 센터에 알려 주세요."),
        )
