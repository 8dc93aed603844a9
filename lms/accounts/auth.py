"""API authentication: a bearer token for programs, the session cookie (with CSRF) for pages.

Bearer tokens are Wagtail's APIToken, resolved by Wagtail's own ninja auth class.
"""

from django.conf import settings
from ninja.security import SessionAuth
from wagtail.api.v3.auth import BearerTokenAuth


class SessionCookieAuth(SessionAuth):
    """The session cookie, with its CSRF check only when a session cookie is sent.

    ninja's own class checks CSRF first, so a program with no cookie and no token got
    403 "CSRF check Failed" where 401 (log in, or send a token) is the true answer.
    """

    def _get_key(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


bearer_token = BearerTokenAuth()
session_cookie = SessionCookieAuth()
# Every authenticated operation accepts either.
api_auth = [bearer_token, session_cookie]
