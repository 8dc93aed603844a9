"""Idle timeout of staff sessions (center staff and superusers)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from core import access
from core.problems import Unauthenticated, render_problem

LAST_SEEN_KEY = "privacy_staff_last_seen"


def is_timed_user(user) -> bool:
    return access.is_operator(user)


def session_touch(request: HttpRequest) -> int:
    """Mark the staff session active now; returns the seconds until it would expire."""
    request.session[LAST_SEEN_KEY] = int(time.time())
    return settings.STAFF_IDLE_TIMEOUT_SECONDS


class StaffIdleTimeoutMiddleware:
    """Ends a staff session after STAFF_IDLE_TIMEOUT_SECONDS without a request.

    The admin's idle-timeout.js warns STAFF_IDLE_WARNING_SECONDS before and can extend
    the session through POST /privacy/session/extend/.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and is_timed_user(user):
            last_seen = request.session.get(LAST_SEEN_KEY)
            now = int(time.time())
            if (
                last_seen is not None
                and now - int(last_seen) > settings.STAFF_IDLE_TIMEOUT_SECONDS
            ):
                logout(request)
                return self._expired(request)
            request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> HttpResponse:
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        message = _("오랫동안 사용하지 않아 로그아웃되었습니다. 다시 로그인해 주세요.")
        if request.path.startswith(("/api/", "/privacy/")):
            return render_problem(Unauthenticated(message))
        from django.contrib import messages

        messages.warning(request, message)
        login = (
            "/admin/login/"
            if request.path.startswith("/admin/")
            else "/accounts/login/"
        )
        return redirect(f"{login}?next={request.path}")
