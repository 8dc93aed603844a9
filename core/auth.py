"""API authentication: a bearer token for programs, the session cookie (with CSRF) for pages.

Bearer tokens are Wagtail's APIToken, resolved by Wagtail's own ninja auth class, and
live `API_TOKEN_LIFETIME` from their creation; revoked ones (logout, password change,
revoked by their owner) answer like no token at all.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import SessionAuth
from wagtail.api.v3.auth import BearerTokenAuth


def api_token_expires_at(token) -> dt.datetime:
    return token.created + settings.API_TOKEN_LIFETIME


class ExpiringBearerTokenAuth(BearerTokenAuth):
    """Wagtail's bearer token, refused once its lifetime has passed."""

    def authenticate(self, request, token: str):
        api_token = super().authenticate(request, token)
        if api_token is not None and api_token_expires_at(api_token) <= timezone.now():
            request.user = AnonymousUser()
            return None
        return api_token


class SessionCookieAuth(SessionAuth):
    """The session cookie, with its CSRF check only when a session cookie is sent.

    ninja's own class checks CSRF first, so a program with no cookie and no token got
    403 "CSRF check Failed" where 401 (log in, or send a token) is the true answer.
    """

    def _get_key(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


bearer_token = ExpiringBearerTokenAuth()
session_cookie = SessionCookieAuth()
# Every authenticated operation accepts either.
api_auth = [bearer_token, session_cookie]
