"""WSGI entry point (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

from lms.accounts.demo_guard import refuse_demo_passwords  # noqa: E402

refuse_demo_passwords()
