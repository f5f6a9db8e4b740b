"""Quality gates as tests: ruff, the import-linter layer contracts, mypy, migrations in sync, check --deploy
(run once, on SQLite: scripts/test.sh leaves the quality marker out of the PostgreSQL run)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.quality


def _run(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=300)


def test_ruff_is_clean():
    result = _run([str(BIN / "ruff"), "check", "src", "tests", "benchmarks"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_layer_contracts_hold():
    result = _run([str(BIN / "lint-imports"), "--no-cache"])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr


def test_types_check():
    """mypy with the Django plugin over what [tool.mypy] in pyproject.toml lists (core, domain, services,
    selectors); the plugin imports shopops.settings, hence a scratch data folder."""
    result = _run([str(BIN / "mypy"), "--cache-dir", tempfile.mkdtemp()],
                  env={"SHOPOPS_DATA_DIR": tempfile.mkdtemp(), "PYTHONPATH": str(ROOT / "src")})
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr


def test_migrations_are_in_sync():
    result = _run([sys.executable, "-m", "django", "makemigrations", "--check", "--dry-run"],
                  env={"DJANGO_SETTINGS_MODULE": "shopops.settings", "SHOPOPS_DATA_DIR": tempfile.mkdtemp()})
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_is_clean_with_production_settings():
    env = {
        "DJANGO_SETTINGS_MODULE": "shopops.settings_production",
        "SHOPOPS_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "SHOPOPS_ALLOWED_HOSTS": "shop.example.com",
        "SHOPOPS_DATA_DIR": tempfile.mkdtemp(),
        "DATABASE_URL": "",
    }
    result = _run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"], env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret():
    env = {"DJANGO_SETTINGS_MODULE": "shopops.settings_production", "SHOPOPS_SECRET_KEY": "",
           "SHOPOPS_ALLOWED_HOSTS": "x", "SHOPOPS_DATA_DIR": tempfile.mkdtemp()}
    result = _run([sys.executable, "-m", "django", "check"], env=env)
    assert result.returncode != 0 and "SHOPOPS_SECRET_KEY" in result.stderr
