"""Production settings: the defaults plus HTTPS hardening, so that ``check --deploy`` is clean.

Serve behind a TLS-terminating proxy that sets ``X-Forwarded-Proto`` and list its address in
``SHOPOPS_TRUSTED_PROXIES``. ``SHOPOPS_SECRET_KEY`` and ``SHOPOPS_ALLOWED_HOSTS`` must come from the environment.

There is deliberately no ``SECURE_PROXY_SSL_HEADER``: Django cannot tell who sent the header, so any client
that reaches the server directly could claim https. The WSGI server, which sees the peer address, decides:
``shopops serve`` takes the scheme from the trusted proxies only (gunicorn: ``--forwarded-allow-ips``).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from shopops.settings import *  # noqa: F403

DEBUG = False
if not os.environ.get("SHOPOPS_SECRET_KEY"):
    raise ImproperlyConfigured("SHOPOPS_SECRET_KEY must be set in production")
if not os.environ.get("SHOPOPS_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("SHOPOPS_ALLOWED_HOSTS must be set in production")

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
WHITENOISE_USE_FINDERS = False
STATIC_ROOT = DATA_DIR / "static"  # noqa: F405  (run collectstatic after each upgrade)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
