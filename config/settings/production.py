"""Production: PostgreSQL, Redis or RabbitMQ, S3-compatible storage, behind a TLS proxy.

Every secret comes from the environment; the process refuses to start without them.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool, trusted_proxy_count

DEBUG = False
STARTUP_CHECKS = True

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of 50+ characters."
    )

# Every absolute link (e-mails, QR codes, certificates) names this address, never the
# Host header of a request. Without PUBLIC_URL it is https:// and the first allowed host.
if not (os.environ.get("PUBLIC_URL") or os.environ.get("SITE_URL")):
    PUBLIC_URL = f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else ""  # noqa: F405
if not PUBLIC_URL.startswith("https://"):  # noqa: F405
    raise ImproperlyConfigured(
        "PUBLIC_URL must be the https:// address people reach the site at."
    )
PUBLIC_URL_FROM_REQUEST = False
WAGTAILADMIN_BASE_URL = PUBLIC_URL

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production runs behind one TLS proxy unless TRUSTED_PROXY_COUNT says otherwise.
TRUSTED_PROXY_COUNT = trusted_proxy_count(default=1)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Wagtail's preview needs same-origin framing; DENY would break editing. Accepted finding.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# whitenoise serves the collected static files right after the security middleware.
MIDDLEWARE = [
    *MIDDLEWARE[:2],  # noqa: F405 - the trusted proxy, then the security middleware
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[2:],  # noqa: F405
]

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
