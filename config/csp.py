"""Content-Security-Policy and Permissions-Policy headers for every answer.

The public site and the API docs allow no inline script at all (JS comes from static/
files). The Wagtail admin ships inline scripts of its own, so /admin/ gets a policy with
'unsafe-inline' (accepted in docs/security.md, checked in Chromium).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

RELAXED_PREFIXES = ("/admin/",)


def _storage_origin() -> str:
    endpoint = getattr(settings, "AWS_S3_ENDPOINT_URL", None)
    if not endpoint:
        return ""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def build_policy(*, relaxed: bool) -> str:
    storage = _storage_origin()
    media = " ".join(filter(None, ["'self'", "blob:", storage]))
    script = "'self' 'unsafe-inline'" if relaxed else "'self'"
    style = "'self' 'unsafe-inline'"
    directives = {
        "default-src": "'self'",
        "script-src": script,
        "style-src": style,
        "img-src": f"{media} data:",
        # hls.js gives each subtitle track an empty `<track src="data:,WEBVTT">` and
        # fills it with cues itself; without data: here the browser refuses the track.
        "media-src": f"{media} data:",
        # hls.js runs its transmuxer in a worker built from a blob: URL.
        "worker-src": "'self' blob:",
        "connect-src": " ".join(filter(None, ["'self'", storage])),
        "font-src": "'self' data:",
        "frame-src": "'self'",
        "frame-ancestors": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.strict = build_policy(relaxed=False)
        self.relaxed = build_policy(relaxed=True)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        relaxed = request.path.startswith(RELAXED_PREFIXES)
        response.headers.setdefault(
            "Content-Security-Policy", self.relaxed if relaxed else self.strict
        )
        permissions = getattr(settings, "PERMISSIONS_POLICY", "")
        if permissions:
            response.headers.setdefault("Permissions-Policy", permissions)
        return response
