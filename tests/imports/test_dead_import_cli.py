"""A real `shopops import` killed mid-run: its job no longer stays "running" forever. `shopops lake settle`
leaves it alone while the process lives (even stopped), and marks it failed once the process is gone."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shopops.imports.formats.samples import JD_HEADER
from tests.imports.xlsx_bombs import bomb_xlsx

pytestmark = pytest.mark.slow

SHOPOPS = str(Path(sys.executable).parent / "shopops")


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SHOPOPS_LAKE_URI")}
    env["SHOPOPS_DATA_DIR"] = str(data_dir)
    return env


def shopops(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SHOPOPS, *args], capture_output=True, text=True, env=_env(data_dir), timeout=600)


def jobs(data_dir: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(data_dir / "shopops.sqlite3") as db:
        return db.execute("SELECT id, status, runner FROM channels_importjob ORDER BY id").fetchall()


def test_a_killed_import_is_failed_by_lake_settle_and_a_live_one_is_not(tmp_path):
    data_dir = tmp_path / "data"
    assert shopops(data_dir, "init", "--shop", "测试店", "--admin-password", "Dead-job-2026!").returncode == 0
    # five million empty cells: seconds of reading before the cell limit refuses it
    path = bomb_xlsx(tmp_path / "slow.xlsx", JD_HEADER, unpacked=400_000_000, block_bytes=4096, cell=b'<c s="1"/>')
    process = subprocess.Popen([SHOPOPS, "import", "jd-orders", str(path), "--json"], env=_env(data_dir),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(status == "running" for _id, status, _r in jobs(data_dir)):
            time.sleep(0.05)
        [(job_id, status, runner)] = jobs(data_dir)
        assert status == "running" and f"|{process.pid}|" in runner

        process.send_signal(signal.SIGSTOP)  # alive but still: not dead
        settled = shopops(data_dir, "lake", "settle", "--json")
        assert settled.returncode == 0, settled.stderr
        assert json.loads(settled.stdout) == {"settled": []}  # nothing failed
        assert jobs(data_dir)[0][1] == "running"

        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        settled = shopops(data_dir, "lake", "settle", "--json")
        assert json.loads(settled.stdout)["failed_import_jobs"] == [job_id]
        assert jobs(data_dir)[0][1] == "failed"
        assert json.loads(shopops(data_dir, "lake", "settle", "--json").stdout) == {"settled": []}
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
