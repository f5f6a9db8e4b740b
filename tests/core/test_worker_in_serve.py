"""The task worker inside `shopops serve` (core.worker): a real huey consumer in background threads, started
and stopped with the server, `--no-worker` to leave it to `shopops worker`, and the heartbeat both beat."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
import waitress
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from huey import MemoryHuey, SqliteHuey, crontab

from shopops.core.clock import now
from shopops.core.management.commands import serve as serve_command
from shopops.core.worker import (
    HEARTBEAT_FRESH,
    background_consumer_start,
    heartbeat_at,
    heartbeat_record,
    worker_running,
)


def _until(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Poll ``condition`` until it holds or the deadline passes (no fixed sleeps)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_the_in_process_consumer_runs_queued_and_periodic_tasks_then_stops_cleanly(tmp_path):
    huey = SqliteHuey("worker-test", filename=str(tmp_path / "tasks.sqlite3"))
    ran: dict[str, str] = {}
    periodic_ran = threading.Event()

    @huey.task()
    def double(value: int) -> int:
        ran["task"] = threading.current_thread().name
        return value * 2

    @huey.periodic_task(crontab())  # every minute: the scheduler enqueues it on its first pass
    def every_minute() -> None:
        periodic_ran.set()

    result = double(21)
    assert huey.pending_count() == 1  # queued, and nothing runs it yet
    assert not worker_running(huey=huey)
    sigint, sigterm = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)

    background = background_consumer_start(workers=2, huey=huey)
    assert background is not None
    try:
        assert result.get(blocking=True, timeout=30) == 42
        assert ran["task"].startswith("Worker-")  # a worker thread of this process ran it
        assert periodic_ran.wait(timeout=30)
        assert _until(lambda: worker_running(huey=huey))  # the scheduler beats the heartbeat
        # the server keeps its signals: huey's consumer installed no handler of its own
        assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == (sigint, sigterm)
        assert all(thread.is_alive() for thread in background.threads())
    finally:
        stopped = background.stop(timeout=30)
    assert stopped
    assert not any(thread.is_alive() for thread in background.threads())


def test_no_consumer_starts_when_tasks_run_inline():
    assert background_consumer_start(workers=2, huey=MemoryHuey("inline", immediate=True)) is None


def test_the_heartbeat_says_whether_a_worker_runs():
    huey = MemoryHuey("heartbeat-test")
    assert heartbeat_at(huey) is None and not worker_running(huey=huey)  # no worker ever beat
    heartbeat_record(huey)
    assert worker_running(huey=huey)
    assert not worker_running(huey=huey, at=now() + HEARTBEAT_FRESH + dt.timedelta(seconds=1))
    heartbeat_record(huey, at=now() - HEARTBEAT_FRESH - dt.timedelta(seconds=1))
    assert not worker_running(huey=huey)  # the last beat is too old: the worker stopped


class _Serving:
    """`shopops serve` with waitress and migrate stubbed out; records what the worker part was asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started: list[int] = []
        self.stopped = 0
        self.sigterm_while_serving: object = None
        monkeypatch.setattr(serve_command, "call_command", lambda *args, **kwargs: None)
        monkeypatch.setattr(waitress, "serve", self._serve)
        monkeypatch.setattr(serve_command, "background_consumer_start", self._start)

    def _serve(self, *args: object, **kwargs: object) -> None:
        self.sigterm_while_serving = signal.getsignal(signal.SIGTERM)

    def _start(self, *, workers: int) -> _Serving:
        self.started.append(workers)
        return self

    def stop(self) -> bool:
        self.stopped += 1
        return True

    def run(self, *args: str) -> str:
        out = StringIO()
        call_command("serve", *args, stdout=out)
        return out.getvalue()


def test_serve_runs_the_worker_by_default_and_stops_it_after_serving(monkeypatch):
    serving = _Serving(monkeypatch)
    before = signal.getsignal(signal.SIGTERM)
    out = serving.run()
    assert serving.started == [2] and serving.stopped == 1
    assert "Background tasks run in this process" in out
    assert serving.sigterm_while_serving is serve_command._stop_on_sigterm  # SIGTERM stops serving cleanly
    assert signal.getsignal(signal.SIGTERM) is before
    serving.run("--workers", "3")
    assert serving.started == [2, 3]


def test_serve_no_worker_starts_none(monkeypatch):
    serving = _Serving(monkeypatch)
    out = serving.run("--no-worker")
    assert serving.started == [] and serving.stopped == 0
    assert "shopops worker" in out


def test_serve_refuses_zero_workers(monkeypatch):
    serving = _Serving(monkeypatch)
    with pytest.raises(CommandError) as refused:
        serving.run("--workers", "0")
    assert refused.value.returncode == 2 and serving.started == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", [["serve", "--port", "{port}"], ["worker"]], ids=["serve", "worker"])
def test_the_real_process_beats_and_stops_on_sigterm(tmp_path, command):
    """`shopops serve` (its in-process worker) and `shopops worker` beat the heartbeat the pages read, and a
    SIGTERM stops either cleanly (exit 0)."""
    shopops = str(Path(sys.executable).parent / "shopops")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["SHOPOPS_DATA_DIR"] = str(tmp_path)
    args = [part.format(port=_free_port()) for part in command]
    process = subprocess.Popen([shopops, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    tasks = SqliteHuey(settings.HUEY["name"], filename=str(tmp_path / "tasks.sqlite3"))
    try:
        # the signal handler is in place before the consumer starts, so a fresh beat means SIGTERM is handled
        beating = _until(lambda: process.poll() is None and worker_running(huey=tasks), seconds=90)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
        output = process.stdout.read() if process.stdout else ""
    assert beating, output
    assert code == 0, output
