"""Every absolute link the product hands out: e-mails, invitations, QR codes, iCalendar
events and certificate verification URLs are all made by `absolute_url`.

In development (`PUBLIC_URL_FROM_REQUEST`) a link made while answering a request follows
the host and port that request was served on, and links made elsewhere (Celery tasks)
use `PUBLIC_URL`, which the dev settings derive from `PORT` as `make run` serves it. In
production every link is `PUBLIC_URL`, whatever Host header a request carried.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def public_base_url() -> str:
    return settings.PUBLIC_URL.rstrip("/")


def absolute_url(path: str, *, request: HttpRequest | None = None) -> str:
    """`path` (starting with `/`) as a full URL that a person can open from anywhere."""
    if not path.startswith("/"):
        raise ValueError(f"an absolute link needs a path from the root, not {path!r}")
    if request is not None and settings.PUBLIC_URL_FROM_REQUEST:
        return request.build_absolute_uri(path)
    return f"{public_base_url()}{path}"
