"""Settings shared by every environment, read from environment variables.

With no environment set, everything runs embedded: SQLite, local media files, a Celery
broker on the local file system with a real worker process, and a local-memory cache.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
# The WSGI/ASGI entry points refuse to start without the database or with a demo
# account's published password (config/startup.py). Production turns this on.
STARTUP_CHECKS = env_bool("STARTUP_CHECKS", False)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "lms.accounts",
    "lms.centers",
    "lms.demo",
    "lms.privacy",
    "lms.learning",
    "lms.records",
    "lms.surveys",
    "lms.trainers",
    "lms.outreach",
    "lms.organizations",
    "lms.reports",
    "cms",
    "media_pipeline",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.accounts.apps.AccountsUsersAdminConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "axes",
    "storages",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: every later part reads the client's address from REMOTE_ADDR.
    "config.edge.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a recorded lockout into the 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several processes (web, worker, beat) share the file: wait on locks, not fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "slacademy",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "lms.accounts.forms.SignupDetailsForm"
# Sign-up proves the address with a code sent to it before the account signs in. Only then
# can allauth answer a taken address exactly as a new one (it mails the owner instead), so
# the sign-up page does not tell anyone which addresses have accounts (attack row 13).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Failed logins are throttled by django-axes for every entry point (site, Wagtail admin,
# API token), so allauth's own failed-login limit is switched off to keep one rule.
ACCOUNT_RATE_LIMITS = {"login_failed": False}

# A bearer token lives this long from its creation (core/auth.py); logout and a new
# password revoke it sooner.
API_TOKEN_LIFETIME = timedelta(
    hours=int(os.environ.get("API_TOKEN_LIFETIME_HOURS", str(7 * 24)))
)
WAGTAILAPI_TOKEN_LAST_USED_INTERVAL = 60

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "lms.accounts.throttling.username_from_attempt"
AXES_LOCKOUT_CALLABLE = "lms.accounts.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True


# How many proxies stand in front of the application, each appending the address it
# saw to X-Forwarded-For (config/edge.py makes REMOTE_ADDR the client's address). 0: no
# proxy, the header is ignored. Set it exactly: too low and every client shares the
# proxy's address (one person could lock an account for everyone), too high and a
# client picks its own address. PROXY_COUNT is the older name.
def trusted_proxy_count(default: int) -> int:
    raw = os.environ.get("TRUSTED_PROXY_COUNT") or os.environ.get("PROXY_COUNT")
    if raw is None or raw == "":
        return default
    if not raw.strip().isdigit() or int(raw) > 5:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"TRUSTED_PROXY_COUNT must be a whole number from 0 to 5, not {raw!r}."
        )
    return int(raw)


TRUSTED_PROXY_COUNT = trusted_proxy_count(default=0)


# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", _("한국어")), ("en", _("영어"))]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ko", "한국어"), ("en", "English")]

# --- Static and media files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed from the npm registry at set-up (package-lock.json).
    ("vendor/hls", BASE_DIR / "node_modules" / "hls.js" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME", "ap-northeast-2")
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE", "path")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The largest request body by path (first match), else REQUEST_BODY_MAX_BYTES; a larger
# one answers 413 before it is read (config/edge.py).
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES", 20 * 1024**2))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_DIR = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker: message files in a folder that the web process, the worker
    # and beat share. It needs no server and still runs tasks in a real worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    _default_result_backend = f"file://{CELERY_BROKER_DIR / 'results'}"
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Tasks run for up to CELERY_TASK_TIME_LIMIT; a message must not be redelivered
    # to a second worker while the first still holds it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
    _default_result_backend = CELERY_BROKER_URL
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
    _default_result_backend = "rpc://"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", _default_result_backend)
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Media tools ----------------------------------------------------------------------------
# Empty means: the system ffmpeg on PATH, else the binary packaged with imageio-ffmpeg.
FFMPEG_BINARY = os.environ.get("FFMPEG_BINARY", "")

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "서울노동아카데미"
# The address people reach the site at; every absolute link is made from it
# (core/links.py). SITE_URL is the older name of the same setting.
PUBLIC_URL = (
    os.environ.get("PUBLIC_URL")
    or os.environ.get("SITE_URL")
    or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
)
# Development only: a link made while answering a request uses that request's host.
PUBLIC_URL_FROM_REQUEST = False
WAGTAILADMIN_BASE_URL = PUBLIC_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "hwp",
    "hwpx",
    "key",
    "odt",
    "pdf",
    "pptx",
    "txt",
    "xlsx",
    "zip",
]
WAGTAILUSERS_PASSWORD_REQUIRED = True

# --- Mail ------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "서울노동아카데미 <academy@example.org>"
)

# --- Security defaults shared by all environments ------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Wagtail's page preview shows the page in a same-origin frame.
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Video pipeline (media_pipeline) --------------------------------------------------------
# Settings of the video pipeline go here.
VIDEO_MAX_UPLOAD_BYTES = int(os.environ.get("VIDEO_MAX_UPLOAD_BYTES", 20 * 1024**3))
VIDEO_UPLOAD_PART_BYTES = int(os.environ.get("VIDEO_UPLOAD_PART_BYTES", 8 * 1024**2))
VIDEO_ALLOWED_EXTENSIONS = [
    "mp4",
    "m4v",
    "mov",
    "mkv",
    "webm",
    "avi",
    "mts",
    "ts",
    "wmv",
]
# ffprobe's format_name of the containers we accept (anything else is rejected).
VIDEO_ALLOWED_FORMATS = [
    "mov,mp4,m4a,3gp,3g2,mj2",
    "matroska,webm",
    "avi",
    "mpegts",
    "asf",
]
VIDEO_MAX_DURATION_SECONDS = float(
    os.environ.get("VIDEO_MAX_DURATION_SECONDS", 6 * 3600)
)
VIDEO_MAX_DIMENSION = 8192
VIDEO_FFMPEG_MEMORY_BYTES = int(
    os.environ.get("VIDEO_FFMPEG_MEMORY_BYTES", 6 * 1024**3)
)
VIDEO_X264_PRESET = os.environ.get("VIDEO_X264_PRESET", "veryfast")
VIDEO_LEASE_SECONDS = int(os.environ.get("VIDEO_LEASE_SECONDS", 120))
VIDEO_MAX_RETRIES = int(os.environ.get("VIDEO_MAX_RETRIES", 3))
VIDEO_WORK_DIR = Path(os.environ.get("VIDEO_WORK_DIR", VAR_DIR / "video-work"))
VIDEO_UPLOAD_DIR = Path(os.environ.get("VIDEO_UPLOAD_DIR", VAR_DIR / "video-uploads"))
# Chunked encoding: windows of this many seconds (a multiple of the 6 s segment), each a
# Celery task that encodes every rung; the first window is shorter, so that a lesson can
# be played early. A video no longer than both together is one task.
VIDEO_WINDOW_SECONDS = int(os.environ.get("VIDEO_WINDOW_SECONDS", 60))
VIDEO_FIRST_WINDOW_SECONDS = int(os.environ.get("VIDEO_FIRST_WINDOW_SECONDS", 6))
# Private playback: the bucket stays private. Playlists come from the application to
# the holder of a grant (issued by the page that shows the player, valid this long);
# every segment, init and caption URI in them works for VIDEO_SIGNED_URL_SECONDS.
VIDEO_PLAYBACK_GRANT_SECONDS = int(
    os.environ.get("VIDEO_PLAYBACK_GRANT_SECONDS", 6 * 3600)
)
VIDEO_SIGNED_URL_SECONDS = int(os.environ.get("VIDEO_SIGNED_URL_SECONDS", 300))
VIDEO_PLAYLIST_CACHE_SECONDS = int(os.environ.get("VIDEO_PLAYLIST_CACHE_SECONDS", 10))
VIDEO_SWEEP_SECONDS = float(os.environ.get("VIDEO_SWEEP_SECONDS", 300))
# The Celery queue of every video task (workers that encode listen on it).
VIDEO_TASK_QUEUE = os.environ.get("VIDEO_TASK_QUEUE", "celery")
REQUEST_BODY_LIMITS = {
    # A video part (local storage): the part and its headers.
    r"^/api/v1/media/uploads/[^/]+/parts/\d+$": VIDEO_UPLOAD_PART_BYTES + 64 * 1024,
    r"^/api/": 1024**2,
    # Editors' documents and images in the Wagtail admin.
    r"^/admin/": 200 * 1024**2,
}
CELERY_BEAT_SCHEDULE["media-sweep-stuck-assets"] = {
    "task": "media_pipeline.sweep_stuck_assets",
    "schedule": VIDEO_SWEEP_SECONDS,
    "options": {"queue": VIDEO_TASK_QUEUE},
}

# --- Online learning (lms.learning, lms.surveys, cms courses) -------------------------------
# Settings of online learning go here.
# Slack added to each playback session's window of server time (network jitter, the beat
# that opens a session); see lms/learning/progress.py.
LEARNING_HEARTBEAT_TOLERANCE_SECONDS = float(
    os.environ.get("LEARNING_HEARTBEAT_TOLERANCE_SECONDS", "3")
)
# Credit is bounded per learner (lms/learning/services.py, heartbeat_record): while one
# lesson keeps beating, another lesson of the same learner earns no time until the first
# has sent no beat for this long. The player beats every 10 s; this leaves room for a
# late one.
LEARNING_CREDIT_HOLD_SECONDS = float(
    os.environ.get("LEARNING_CREDIT_HOLD_SECONDS", "25")
)
# How far back a beat may still take wall time that no beat of the learner has credited
# (a beat that arrives late, a retry): two beats.
LEARNING_CREDIT_LOOKBACK_SECONDS = float(
    os.environ.get("LEARNING_CREDIT_LOOKBACK_SECONDS", "20")
)
# The Korean TrueType font of the PDFs (lms/learning/fonts.py): this file when set, else
# the first system font below that exists (fonts-nanum on Debian/Ubuntu), else the
# NanumGothic that the koreanize-matplotlib wheel brings into the virtualenv.
LEARNING_CERTIFICATE_FONT = os.environ.get("LEARNING_CERTIFICATE_FONT", "")
LEARNING_SYSTEM_FONTS = [
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumMyeongjo.ttf",
]
# Length of each demo lesson clip that seed_demo makes with ffmpeg.
LEARNING_DEMO_CLIP_SECONDS = int(os.environ.get("LEARNING_DEMO_CLIP_SECONDS", "60"))
CELERY_BEAT_SCHEDULE["learning-issue-missing-certificates"] = {
    "task": "learning.issue_missing_certificates",
    "schedule": 600.0,
}

# --- Outreach education and the trainer pool (lms.outreach, lms.trainers) ---------------------
# Settings of outreach and the trainer pool go here.
OUTREACH_TRAVEL_BUFFER_MINUTES = 60
OUTREACH_OFFER_TTL_HOURS = 48
OUTREACH_REMINDER_HOURS_BEFORE = 48
OUTREACH_REFRESHER_HOURS_PER_YEAR = 8
# A link to a teaching material works this long, for the person it was made for only.
MATERIAL_LINK_SECONDS = int(os.environ.get("MATERIAL_LINK_SECONDS", "300"))
# Lecture fee (강사료) in KRW: per hour by grade, a premium for evenings (from 18:00 KST)
# and weekends, and a travel allowance by distance class.
OUTREACH_FEE_RATES = {
    "hourly": {"senior": 200_000, "regular": 150_000, "junior": 100_000},
    "evening_weekend_premium_percent": 20,
    "evening_from_hour": 18,
    "travel": {"same_district": 0, "same_region": 10_000, "elsewhere": 20_000},
}
CELERY_BEAT_SCHEDULE["outreach-expire-offers"] = {
    "task": "lms.outreach.tasks.expire_offers",
    "schedule": 600.0,
}
CELERY_BEAT_SCHEDULE["outreach-send-reminders"] = {
    "task": "lms.outreach.tasks.send_reminders",
    "schedule": 3600.0,
}

# --- Security and privacy (lms.privacy, config) ---------------------------------------------
# Settings of security and privacy go here.
# PIPA safety measures: access records kept 1 year at least, 2 years for controllers of
# 50,000+ people; the database refuses to delete rows younger than 365 days anyway.
PRIVACY_ACCESS_LOG_RETENTION_DAYS = max(
    365, int(os.environ.get("PRIVACY_ACCESS_LOG_RETENTION_DAYS", str(2 * 365)))
)
PRIVACY_WITHDRAWN_CONSENT_RETENTION_DAYS = int(
    os.environ.get("PRIVACY_WITHDRAWN_CONSENT_RETENTION_DAYS", str(3 * 365))
)
# Training records (lms.records): years a hash chain is kept after the end of its year,
# per chain kind. 산업안전보건교육 and 장애인 인식개선교육 records: 3 years.
RECORDS_RETENTION_YEARS = {
    "default": int(os.environ.get("RECORDS_RETENTION_YEARS", "3")),
    "organization": int(os.environ.get("RECORDS_RETENTION_YEARS_ORGANIZATION", "3")),
    "personal": int(os.environ.get("RECORDS_RETENTION_YEARS_PERSONAL", "3")),
}
# The monthly access-log review (lms.privacy.review): a day is unusual over the fixed
# threshold, or over FACTOR × the person's median active day in the baseline window.
PRIVACY_REVIEW_DAILY_THRESHOLD = int(
    os.environ.get("PRIVACY_REVIEW_DAILY_THRESHOLD", "500")
)
PRIVACY_REVIEW_MEDIAN_FACTOR = float(
    os.environ.get("PRIVACY_REVIEW_MEDIAN_FACTOR", "3")
)
PRIVACY_REVIEW_BASELINE_DAYS = 90
PRIVACY_REVIEW_MIN_BASELINE_DAYS = 5
CELERY_BEAT_SCHEDULE["privacy-purge-expired"] = {
    "task": "privacy.purge_expired",
    "schedule": timedelta(days=1),
}
# Staff sessions end after this much inactivity; the admin warns before and offers to extend.
STAFF_IDLE_TIMEOUT_SECONDS = int(os.environ.get("STAFF_IDLE_TIMEOUT_SECONDS", "1800"))
STAFF_IDLE_WARNING_SECONDS = int(os.environ.get("STAFF_IDLE_WARNING_SECONDS", "300"))
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "lms.privacy.middleware.StaffIdleTimeoutMiddleware",
)
MIDDLEWARE.insert(2, "config.csp.ContentSecurityPolicyMiddleware")
MIDDLEWARE.insert(3, "config.edge.RequestEdgeMiddleware")
# Documents are always downloaded (never rendered in our origin), through Django so the
# security headers apply; their type is checked from their content on upload.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_DOCUMENT_FORM_BASE = "lms.privacy.forms.ContentCheckedDocumentForm"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No avatars from a third party: it would learn which staff use the admin, and when.
# ninja as an app: the API docs load Swagger UI from our static files, not from a CDN.
INSTALLED_APPS.append("ninja")
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The admin would call releases.wagtail.org from staff browsers; upgrades follow the lock file.
WAGTAIL_ENABLE_UPDATE_CHECK = False
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if "visibility_timeout" in CELERY_BROKER_TRANSPORT_OPTIONS and os.environ.get(
    "CELERY_VISIBILITY_TIMEOUT"
):
    # Only the fault tests shorten it, to see a killed worker's task come back quickly
    # (and sweep for abandoned messages every second instead of every ~100 s).
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        visibility_timeout=int(os.environ["CELERY_VISIBILITY_TIMEOUT"]),
        unacked_restore_interval=1,
        unacked_restore_throttle=1,
    )

# --- Reports and the organization portal (lms.reports) --------------------------------------
# Settings of reports go here.

# --- Beat schedule, last: every entry above is in CELERY_BEAT_SCHEDULE by now -------------
# Only tests/config/test_beat_schedule.py sets this: every periodic task every N seconds,
# to see the real beat and a real worker run each of them once.
if os.environ.get("CELERY_BEAT_EVERY_SECONDS"):
    for _entry in CELERY_BEAT_SCHEDULE.values():
        _entry["schedule"] = float(os.environ["CELERY_BEAT_EVERY_SECONDS"])
