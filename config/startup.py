"""What a production server checks before it takes its first request."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection


def refuse_unreachable_database() -> None:
    """A server that starts without its database answers every request with an error;
    refusing to start lets the process manager (and the operator) see it at once."""
    if not settings.STARTUP_CHECKS:
        return
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        raise ImproperlyConfigured(
            f"The database cannot be reached ({type(exc).__name__}); "
            "the server does not start without it. Check DATABASE_URL."
        ) from exc
    finally:
        connection.close()


def production_checks() -> None:
    """Run by config/wsgi.py and config/asgi.py; only production settings turn them on."""
    # Late: the entry points import this module before Django has loaded the apps.
    from lms.accounts.demo_guard import refuse_demo_passwords

    refuse_unreachable_database()
    refuse_demo_passwords()
