"""ASGI entry point (uvicorn)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_asgi_application()

from lms.accounts.demo_guard import refuse_demo_passwords  # noqa: E402

refuse_demo_passwords()
