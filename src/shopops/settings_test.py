"""Test settings: a throw-away data dir, fast hashing, tasks run inline."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SHOPOPS_DATA_DIR", tempfile.mkdtemp(prefix="shopops-test-"))

from shopops.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}  # noqa: F405
