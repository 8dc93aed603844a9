"""API authentication: a bearer token for programs, the session cookie (with CSRF) for pages.

Bearer tokens are Wagtail's APIToken, resolved by Wagtail's own ninja auth class.
"""

from ninja.security import django_auth
from wagtail.api.v3.auth import BearerTokenAuth

bearer_token = BearerTokenAuth()
# Every authenticated operation accepts either.
api_auth = [bearer_token, django_auth]
