"""A real ShopOps process for the browser suite: `shopops demo` builds a small shop, `shopops serve` serves it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "E2e-pass-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["SHOPOPS_DATA_DIR"] = str(data_dir)
    shopops = str(Path(sys.executable).parent / "shopops")
    build = subprocess.run(
        [shopops, "demo", "--no-serve", "--days", "45", "--scale", "0.05", "--password", PASSWORD],
        env=env, capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr
    with served(env) as base:
        yield base


@contextmanager
def served(env: dict[str, str]) -> Iterator[str]:
    """`shopops serve` of the data dir in ``env`` on a free port (its task worker in-process): its address once
    its health check answers; stopped on exit."""
    shopops = str(Path(sys.executable).parent / "shopops")
    port = _free_port()
    process = subprocess.Popen([shopops, "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("shopops serve did not start: " + process.stderr.read().decode()[-2000:]) from None
            time.sleep(0.3)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (scripts/system-packages.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()
