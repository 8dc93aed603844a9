"""Login throttling with django-axes, shared by the site, the Wagtail admin and the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.problems import TooManyRequests, render_problem


def username_from_attempt(request: HttpRequest, credentials: dict | None) -> str:
    """The account an attempt names, whichever login string and form named it.

    A username and an e-mail address of one account count as one: failures by either
    lock both. A string that names no account is counted as itself.
    """
    credentials = credentials or {}
    data = getattr(request, "POST", {}) or {}
    value = (
        credentials.get("username")
        or credentials.get("email")
        or data.get("login")
        or data.get("username")
        or getattr(request, "axes_api_username", "")
        or ""
    )
    return account_key(value)


def account_key(login: str) -> str:
    from django.db.models import Q

    # Late: django-axes loads this module from settings, before the models exist.
    from lms.accounts.models import User

    login = (login or "").strip()
    if not login:
        return ""
    match = (
        User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"account:{match}" if match is not None else login.lower()


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    minutes = _cooloff_minutes()
    message = _(
        "로그인에 여러 번 실패하여 %(minutes)d분 동안 로그인할 수 없습니다."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return render_problem(
            TooManyRequests(message, retry_after_seconds=minutes * 60)
        )
    response = render(request, "account/lockout.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def _cooloff_minutes() -> int:
    from django.conf import settings

    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
