"""The product's commands skip Django's system checks (they import the whole URL table, ~2 s, and guard
nothing a command needs), while `shopops check` and `check --deploy` still run every check, URL checks included.

A settings module on top of the production settings points ROOT_URLCONF at a URL table with a deliberate
mistake (a URL name with a colon: Django's urls.W003): `check --deploy` finds it, a product command does not
look."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from shopops.core.management.base import ShopOpsCommand
from shopops.core.management.commands.serve import Command as Serve
from shopops.core.management.commands.worker import Command as Worker
from tests.cli.test_cli import SHOPOPS

ROOT = Path(__file__).resolve().parents[2]

BROKEN_URLS = '''from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("x/", lambda request: HttpResponse("x"), name="broken:name")]
'''

BROKEN_SETTINGS = '''from shopops.settings_production import *  # noqa: F403

ROOT_URLCONF = "clifast_broken_urls"
'''


@pytest.fixture(scope="module")
def broken_env(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("broken-settings")
    (folder / "clifast_broken_urls.py").write_text(BROKEN_URLS, encoding="utf-8")
    (folder / "clifast_broken_settings.py").write_text(BROKEN_SETTINGS, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "clifast_broken_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT / "src"), env.get("PYTHONPATH", "")]),
        "SHOPOPS_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "SHOPOPS_ALLOWED_HOSTS": "shop.example.com",
        "SHOPOPS_DATA_DIR": tempfile.mkdtemp(),
    })
    return env


def _shopops(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([SHOPOPS, *args], capture_output=True, text=True, env=env, timeout=300)


def test_check_deploy_still_runs_the_url_checks(broken_env):
    result = _shopops("check", "--deploy", "--fail-level", "WARNING", env=broken_env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "urls.W003" in result.stderr and "broken:name" in result.stderr


def test_plain_check_runs_them_too(broken_env):
    result = _shopops("check", "--tag", "urls", env=broken_env)
    assert "urls.W003" in result.stderr, result.stdout + result.stderr


def test_the_same_check_passes_on_the_real_url_table(broken_env):
    env = {**broken_env, "DJANGO_SETTINGS_MODULE": "shopops.settings_production"}
    result = _shopops("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("args", [
    ["shop", "list", "--json"],
    ["alerts", "run", "--json"],
    ["campaign", "list", "--json"],
])
def test_product_commands_do_not_run_the_checks(broken_env, args):
    """No URL table is imported before the command works (here it refuses: the data folder is empty)."""
    result = _shopops(*args, env=broken_env)
    assert "urls.W003" not in result.stderr and "SystemCheckError" not in result.stderr
    assert result.returncode == 2 and "shopops init" in result.stderr, result.stderr


def test_serve_and_worker_keep_their_checks():
    assert Serve.requires_system_checks == Worker.requires_system_checks == "__all__"
    assert ShopOpsCommand.requires_system_checks == []
