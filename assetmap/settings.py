"""Assetmap settings: one module, driven by environment variables with safe defaults.

Every setting an operator may change is read from the environment here; the README has the
table. With DEBUG off the app refuses to start without a SECRET_KEY of 50 characters or more.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turn DATABASE_URL into Django's DATABASES entry (sqlite:///path or postgres://...)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        name = unquote(parsed.path[1:])  # sqlite:///relative.db, sqlite:////absolute.db
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name or BASE_DIR / "db.sqlite3"}
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            # Persistent connections, checked before reuse: app servers keep no other state.
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported.")


def cache_from_url(url: str) -> dict:
    """Turn CACHE_URL into Django's CACHES entry: unset, each process's own memory;
    redis://host:port/db (or rediss://), one Redis server for every process."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if urlparse(url).scheme in {"redis", "rediss", "unix"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # One prefix per deployment, a new one after an upgrade that changes what is kept
            # (README, "Settings").
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "assetmap"),
            # A Redis that hangs fails the request in seconds instead of holding it forever.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    raise ImproperlyConfigured(f"CACHE_URL scheme {urlparse(url).scheme!r} is not supported.")


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (a long random string) when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        f"SECRET_KEY is {len(SECRET_KEY)} characters long; with DEBUG off it must be at least 50 "
        '(a long random string, e.g. from `python -c "import secrets; '
        'print(secrets.token_urlsafe(50))"`).'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "neighbourhoods",
    "residents",
    "organisations",
    "places",
    "conversations",
    "network",
    "outcomes",
    "exchange",
    "maps",
    "search",
    "me",
    "audit",
    "ownership",
    "django_tasks_db",
    "jobs",
    "operators",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "neighbourhoods.middleware.PrivateResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "neighbourhoods.middleware.RefuseNulMiddleware",
]

ROOT_URLCONF = "assetmap.urls"
WSGI_APPLICATION = "assetmap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "neighbourhoods.context_processors.current_neighbourhood",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Authentication: username + password, lockout after repeated failures (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Two limits within the cool-off time: one username from one address (guessing a password),
# and one address across all usernames (password spraying; higher, as an office or a
# library shares one address). axes compares a single limit with the failures of its
# parameter set, so the address limit lives in the limit callable (neighbourhoods/lockout.py).
LOCKOUT_USERNAME_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOCKOUT_ADDRESS_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_FAILURE_LIMIT = "neighbourhoods.lockout.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "neighbourhoods.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None
# django-ipware is not installed: this reads AXES_IPWARE_PROXY_COUNT (X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "neighbourhoods.lockout.client_ip_address"
AXES_VERBOSE = False

# Stateless app servers: sessions in the database, media on configurable storage.
# CACHE_URL (Redis) gives every process one cache: what a page keeps (kept lists and
# figures, the network's drawn picture) is computed once per change, not once per process, the
# API's per-minute limits count across processes, and sessions are read from the cache
# before the database (cached_db; only with a shared cache, so that a logout in one process
# ends the session in all of them).
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if "redis" in CACHES["default"]["BACKEND"]
    else "django.contrib.sessions.backends.db"
)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Email (Django 6.1 MAILERS): console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_HOST,
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        },
    }
else:
    _mailer = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
MAILERS = {"default": _mailer}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Assetmap <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the app is reached, for links in mails sent by background jobs (no request to ask).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Django's form rendering, with the select box written in Python (issue #19; same HTML)
FORM_RENDERER = "neighbourhoods.form_renderer.FastSelectRenderer"

# Languages: Dutch by default, English complete.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Security headers. HTTPS settings follow DEBUG unless overridden.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page uses, refused for every page and whatever it embeds
# (neighbourhoods.middleware.PrivateResponseMiddleware sends it; nothing asks for a location).
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy with nonces (Django 6.1): no inline handlers, no unsafe-*.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_tile_origin = "{0.scheme}://{0.netloc}".format(urlparse(MAP_TILE_URL)) if MAP_TILE_URL else ""
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:", *([_tile_origin] if _tile_origin else [])],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Slow work runs as tasks (django.tasks) on a real queue: by default the project's own
# database (django-tasks-db; `manage.py db_worker` runs a worker). TASK_BACKEND names another
# backend class (e.g. "django_tasks_rq.RQBackend", see the README).
_task_backend = os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {
    "default": {"BACKEND": _task_backend, "QUEUES": env_list("TASK_QUEUES", "default")},
}
# Redis through RQ (django-tasks-rq), when TASK_BACKEND names it: one RQ queue per task
# queue name, on REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
if "django_tasks_rq" in _task_backend:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {name: {"URL": REDIS_URL} for name in TASKS["default"].get("QUEUES", ["default"])}
# Which of TASKS the app queues its work on (tests switch it to "database" or "rq").
ASSETMAP_TASK_BACKEND = "default"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Assetmap's own settings.
ASSETMAP_DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "buurt-demo-2026")
# People with no conversation, login or change for this many months are listed for review.
RETENTION_MONTHS = int(os.environ.get("RETENTION_MONTHS", "24"))
# An initiative with no activity this many weeks after a professional stopped carrying it is
# flagged as stopped when the professional left ("projectencarrousel").
OWNERSHIP_STALL_WEEKS = int(os.environ.get("OWNERSHIP_STALL_WEEKS", "8"))
# The HSDS API (/api/hsds/<slug>/): requests per client (address) and minute; 0 = no limit.
HSDS_API_RATE_PER_MINUTE = int(os.environ.get("HSDS_API_RATE_PER_MINUTE", "120"))
# The access log (who exported or looked at what) keeps its entries this many days;
# `manage.py prune_access_log` (e.g. daily) deletes older ones.
ACCESS_LOG_DAYS = int(os.environ.get("ACCESS_LOG_DAYS", "730"))
