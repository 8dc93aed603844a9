"""The pytest suite: the embedded default unless service URLs are set in the environment."""

import os
from pathlib import Path

# The suite keeps its files (embedded broker, media) apart from a running `make run`.
os.environ.setdefault(
    "VAR_DIR", str(Path(__file__).resolve().parents[2] / "var" / "test")
)

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import VAR_DIR  # noqa: E402

DEBUG = False
# A fast hasher: the suite creates many users; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
AXES_FAILURE_LIMIT = 5
# Online learning: seed_demo's lesson clips stay short in tests.
LEARNING_DEMO_CLIP_SECONDS = 3
