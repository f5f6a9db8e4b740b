"""Django settings, driven by the environment (see docs/architecture.md#interfaces).

Defaults give an embedded install (SQLite in WAL mode + huey on SQLite) under ``SHOPOPS_DATA_DIR``;
``DATABASE_URL`` and ``REDIS_URL`` switch to real servers. ``shopops.settings_production`` adds the
HTTPS hardening that ``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from shopops.datadir import DataDirUnknown, data_dir

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# SHOPOPS_DATA_DIR, else the user's data folder (~/.local/share/shopops): never the current folder (datadir.py).
try:
    DATA_DIR = data_dir()
except DataDirUnknown as exc:
    raise ImproperlyConfigured(str(exc)) from exc
DEBUG = _env_bool("SHOPOPS_DEBUG")
# The embedded install keeps everything here (database, task store, lake, exports); huey opens its
# SQLite store at import time, so the folder must exist before Django starts.
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The secret key comes from the environment; an embedded install keeps a generated one in its data dir.

    Created with O_EXCL and mode 0600, so processes starting together (serve + worker) agree on one key and
    nobody else can read it.
    """
    key = os.environ.get("SHOPOPS_SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    try:
        fd = os.open(key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        for _attempt in range(50):  # another process may be writing it right now
            key = key_file.read_text().strip()
            if key:
                return key
            time.sleep(0.1)
        raise ImproperlyConfigured(f"{key_file} is empty: delete it or set SHOPOPS_SECRET_KEY") from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
# Loopback by default (also blocks DNS rebinding); list LAN or public names in SHOPOPS_ALLOWED_HOSTS.
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SHOPOPS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SHOPOPS_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# Addresses or networks of the TLS proxies in front of `shopops serve`: only connections from them may set
# X-Forwarded-Proto / X-Forwarded-For (the server strips both from everyone else; see docs/operations.md).
SHOPOPS_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("SHOPOPS_TRUSTED_PROXIES", "").split(",") if p.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # ninja as an app: /api/v1/docs uses its bundled Swagger UI (offline, no inline script) instead of a CDN.
    "ninja",
    "huey.contrib.djhuey",
    "axes",
    "shopops.core",
    "shopops.channels",
    "shopops.imports",
    "shopops.catalog",
    "shopops.members",
    "shopops.orders",
    "shopops.pricing",
    "shopops.lake",
    "shopops.reports",
    "shopops.campaigns",
    "shopops.inventory",
    "shopops.analytics",
    "shopops.briefing",
    "shopops.service",
    "shopops.listings",
    "shopops.ui",
    "shopops.accounts",
    "shopops.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "shopops.core.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "shopops.core.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shopops.core.middleware.UserLanguageMiddleware",
    "shopops.core.middleware.CurrentShopMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a locked-out log-in into the log-in page with the reason.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shopops.urls"
WSGI_APPLICATION = "shopops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shopops.ui.context_processors.workbench",
            ],
        },
    },
]

_SQLITE_OPTIONS = {
    # IMMEDIATE: a write transaction takes the write lock up front, so a read→write upgrade never
    # fails with "database is locked" (docs/rules/inventory.md#sqlite-transactions).
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
        "PRAGMA foreign_keys=ON;"
    ),
}

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "shopops.sqlite3",
            "OPTIONS": _SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out log-in before any password is checked (and needs the request, so
# tests log in with force_login or Client.login(request=HttpRequest(), ...)).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Log-in throttling: 10 failures within 15 minutes pause log-ins for 15 minutes, counted per user name at an
# address and per address (password spraying). Others elsewhere are not affected, so nobody can lock the
# real user out from another address; a success resets the count. API tokens never pass through this.
# Unlock early with `shopops axes_reset_username NAME`, `shopops axes_reset_ip ADDRESS` or `axes_reset`.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A lock-out lasts 15 minutes from the last counted failure; more tries while locked do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "shopops.accounts.views.auth.login_locked_out"
# The client address is REMOTE_ADDR: `shopops serve` sets it from X-Forwarded-For for trusted proxies only.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_VERBOSE = False
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "shopops.ui.finders.PlotlyFinder",
]
# whitenoise serves app static files straight from the finders: nothing to collect for an embedded install.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
EXPORTS_DIR = DATA_DIR / "exports"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from our own static files, no inline script, no eval.
# Templates carry no inline script, event handler or style attribute (tests/web/test_csp.py checks them);
# chart and table data travel in json_script blocks, which are data, not script.
PLOTLY_EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
PLOTLY_MAPLIBRE_STYLE = "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Plotly (run time, not our templates) adds <style> elements: an empty one that it fills through the
        # CSSOM (allowed by the hash of the empty text) and MapLibre's stylesheet (its hash: the bundled
        # plotly.js version; tests/web/test_csp.py recomputes it from the bundle and says when it changes).
        "style-src-elem": [SELF, PLOTLY_EMPTY_STYLE, PLOTLY_MAPLIBRE_STYLE],
        # ... and sets style attributes on SVG elements (heatmaps). Attributes cannot load anything: images,
        # fonts and connections stay 'self' (below).
        "style-src-attr": [UNSAFE_INLINE],
        # Swagger UI and Plotly draw some icons and heatmaps from data: URLs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

_redis_url = os.environ.get("REDIS_URL")
if _redis_url:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "shopops",
        "url": _redis_url,
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "shopops",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": False,
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHOPOPS_LOG_LEVEL", "WARNING")},
    # `shopops worker` (huey's consumer) installs its own handler: do not print each line twice.
    "loggers": {"huey": {"propagate": False}},
}

SHOPOPS_ENGINE = os.environ.get("SHOPOPS_ENGINE", "duckdb")
SHOPOPS_LAKE_URI = os.environ.get("SHOPOPS_LAKE_URI", str(DATA_DIR / "lake"))

# Analytics results kept until a lake table they read changes (analytics/cache.py,
# docs/architecture.md#query-caches): files under the data dir, so the CLI, tasks and web workers share them.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "analytics": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "analytics"),
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
