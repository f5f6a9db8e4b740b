"""Housekeeping tasks and the worker process."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from shopops.core.clock import now
from shopops.core.tasks import clear_expired_sessions


def test_expired_sessions_are_cleared(db):
    live, old = SessionStore(), SessionStore()
    live.create()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(expire_date=now() - dt.timedelta(days=1))
    assert clear_expired_sessions.call_local() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_worker_starts_and_stops_cleanly(tmp_path):
    shopops = str(Path(sys.executable).parent / "shopops")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["SHOPOPS_DATA_DIR"] = str(tmp_path)
    process = subprocess.Popen([shopops, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    deadline = time.time() + 60
    output = ""
    while time.time() < deadline and "clear_expired_sessions" not in output:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        output += line
    assert "consumer started" in output.lower() and "clear_expired_sessions" in output, output
    time.sleep(1.5)  # the banner is printed just before the consumer installs its signal handlers
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
