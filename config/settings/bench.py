"""Benchmarks: the production settings, served over plain HTTP on loopback.

Only `make bench` uses this module. It keeps everything that shapes the speed of a
request in production (DEBUG off, the same middleware, persistent database connections,
whitenoise) and drops what a loopback run cannot satisfy: TLS redirects, secure cookies,
a secret from the environment and a collected static manifest.
"""

import os
import secrets
import warnings

# A throw-away key per process is fine: no signed value outlives the benchmark.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
# Production runs with persistent connections; say so here too unless told otherwise.
os.environ.setdefault("DB_CONN_MAX_AGE", "60")

from config.settings.production import *  # noqa: E402, F403
from config.settings.production import STORAGES  # noqa: E402

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ACCOUNT_EMAIL_VERIFICATION = "none"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Pages render {% static %} without a collectstatic manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# No collectstatic before a benchmark: whitenoise would warn in every process.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
