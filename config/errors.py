"""The site's error pages (the API answers problem+json instead, see core/problems.py)."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error

logger = logging.getLogger(__name__)

#: Seconds a browser or proxy is asked to wait before trying again.
RETRY_AFTER_SECONDS = 5


def server_error_page(request: HttpRequest, template_name: str = "500.html"):
    """Django's 500 page, except while the database is unreachable: then 503 with a
    Korean "try again shortly", since the request can simply be sent again.

    Django calls this handler while it is handling the exception, so the exception is
    the one `sys.exc_info()` holds. The page is rendered without a request context:
    nothing on it may need the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.warning("Database unavailable on %s: %s", request.path, error)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return server_error(request, template_name)
