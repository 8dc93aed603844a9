"""Production refuses to start while a demo account still has the published demo password."""

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

DEMO_USERNAMES = ("admin", "staff", "staff-dongbuk", "trainer", "org", "learner")
DEMO_PASSWORD = "labor-demo-2026"  # nosec B105


def demo_accounts_with_demo_password() -> list[str]:
    # Late: the WSGI/ASGI entry points import this before the app registry is ready.
    from lms.accounts.models import User

    try:
        users = list(User.objects.filter(username__in=DEMO_USERNAMES, is_active=True))
    except DatabaseError:
        # No tables yet (before the first migrate): no demo account can exist.
        return []
    return sorted(user.username for user in users if user.check_password(DEMO_PASSWORD))


def refuse_demo_passwords() -> None:
    from django.conf import settings

    if not settings.STARTUP_CHECKS:
        return
    found = demo_accounts_with_demo_password()
    if found:
        raise ImproperlyConfigured(
            "Demo accounts still use the published demo password: "
            + ", ".join(found)
            + ". Change their passwords or delete them before serving production."
        )
