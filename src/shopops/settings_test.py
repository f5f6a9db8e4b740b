"""Test settings: a throw-away data dir, fast hashing, tasks run inline."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SHOPOPS_DATA_DIR", tempfile.mkdtemp(prefix="shopops-test-"))
if os.environ.get("PYTEST_XDIST_WORKER"):
    # pytest-xdist workers inherit the controller's directory: each gets its own below it, or two workers'
    # test databases would write the same import progress files (same job ids) in one folder
    _worker_dir = os.path.join(os.environ["SHOPOPS_DATA_DIR"], os.environ["PYTEST_XDIST_WORKER"])
    if not os.environ["SHOPOPS_DATA_DIR"].endswith(os.environ["PYTEST_XDIST_WORKER"]):
        os.environ["SHOPOPS_DATA_DIR"] = _worker_dir

from shopops.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}  # noqa: F405
# Kept in memory per process: an entry holds the lake versions it read, so a test that imports reads fresh numbers.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "analytics": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "analytics",
                  "TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 5000}},
}
