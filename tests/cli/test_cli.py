"""The shopops command: demo (idempotent unless --reset), init, token, exit codes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SHOPOPS = str(Path(sys.executable).parent / "shopops")
SMALL = ["--days", "20", "--scale", "0.05", "--end-date", "2026-11-20", "--no-serve"]


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["SHOPOPS_DATA_DIR"] = str(data_dir)
    return subprocess.run([SHOPOPS, *args], capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    result = run("demo", *SMALL, "--password", "Demo-pass-2026", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir, json.loads(result.stdout)


def test_demo_builds_a_shop(demo_dir):
    _dir, summary = demo_dir
    assert summary["created"] is True and summary["orders"] > 0 and summary["skus"] >= 150
    assert summary["users"] == ["admin", "operator", "ads", "service", "viewer"]


def _fingerprint(data_dir: Path) -> list:
    with sqlite3.connect(data_dir / "shopops.sqlite3") as con:
        return [con.execute(f"SELECT count(*), max(id) FROM {table}").fetchone()
                for table in ("core_shop", "auth_user", "catalog_sku", "members_customer", "orders_order",
                              "orders_orderline", "orders_refund", "core_auditentry")]


def test_demo_again_changes_nothing(demo_dir):
    data_dir, summary = demo_dir
    before = _fingerprint(data_dir)
    result = run("demo", *SMALL, "--seed", "99", "--json", data_dir=data_dir)
    assert result.returncode == 0
    assert json.loads(result.stdout)["created"] is False
    assert "already holds a shop" in json.loads(result.stdout)["message"]
    assert _fingerprint(data_dir) == before


def test_token_create(demo_dir):
    data_dir, _summary = demo_dir
    token = run("token", "create", "--user", "viewer", "--json", data_dir=data_dir)
    assert token.returncode == 0 and json.loads(token.stdout)["token"].startswith("sho_")


def test_same_seed_same_shop(tmp_path, demo_dir):
    _dir, first = demo_dir
    again = run("demo", *SMALL, "--password", "Demo-pass-2026", "--json", data_dir=tmp_path)
    second = json.loads(again.stdout)
    for key in ("orders", "order_lines", "customers", "refunds", "skus", "from", "to"):
        assert first[key] == second[key]


def test_reset_rebuilds(tmp_path):
    assert run("demo", *SMALL, "--password", "Demo-pass-2026", data_dir=tmp_path).returncode == 0
    result = run("demo", *SMALL, "--reset", "--seed", "3", "--password", "Demo-pass-2026", "--json", data_dir=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout)["created"] is True


@pytest.mark.parametrize(
    "args",
    [["demo", "--days", "0", "--no-serve"], ["demo", "--password", "123", "--no-serve"],
     ["demo", "--scale", "-1", "--no-serve"], ["demo", "--days", "abc", "--no-serve"],
     ["init", "--shop", "x", "--admin-password", "short"], ["token", "create", "--user", "nobody"],
     ["init", "--shop", "x", "--code", "Bad Code!", "--admin-password", "Admin-pass-2026"],
     ["init", "--shop", "店" * 121, "--admin-password", "Admin-pass-2026"],
     ["demo", "--end-date", "0001-01-02", "--no-serve"], ["no-such-command"]],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path, args):
    result = run(*args, data_dir=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.strip()


def test_init_creates_an_empty_install(tmp_path):
    result = run("init", "--shop", "我的店", "--code", "mine", "--admin-password", "Admin-pass-2026", "--json",
                 data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"shop": "mine", "name": "我的店", "users": ["admin"]}
    again = run("init", "--shop", "另一家", "--admin-password", "Admin-pass-2026", data_dir=tmp_path)
    assert again.returncode == 2


def test_data_dir_flag_is_honoured(tmp_path):
    target = tmp_path / "elsewhere"
    result = run("init", "--data-dir", str(target), "--shop", "店", "--admin-password", "Admin-pass-2026",
                 data_dir=tmp_path / "ignored")
    assert result.returncode == 0, result.stderr
    assert (target / "shopops.sqlite3").exists()


def test_data_dir_that_is_a_file_is_bad_input(tmp_path):
    target = tmp_path / "a-file"
    target.write_text("x")
    result = run("init", "--shop", "店", "--admin-password", "Admin-pass-2026", data_dir=target)
    assert result.returncode == 2 and "is a file" in result.stderr


def test_long_shop_names_fit_their_channel_accounts(tmp_path):
    result = run("init", "--shop", "超长店名" * 30, "--code", "long", "--admin-password", "Admin-pass-2026",
                 data_dir=tmp_path)
    assert result.returncode == 0, result.stderr


def test_demo_fills_the_lake(demo_dir):
    data_dir, summary = demo_dir
    tables = {t["table"]: t for t in json.loads(run("lake", "info", "--json", data_dir=data_dir).stdout)["tables"]}
    assert tables["orders_fact"]["rows"] == summary["orders"]
    assert tables["order_lines_fact"]["rows"] == summary["order_lines"]
