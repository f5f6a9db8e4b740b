"""shopops stock move/show/sync and shopops replenish, end to end on a small demo install."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import SMALL, run


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("inv-demo")
    result = run("demo", *SMALL, "--password", "Demo-pass-2026", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def test_stock_move_show_and_sync(demo):
    import sqlite3

    with sqlite3.connect(demo / "shopops.sqlite3") as con:
        sku = con.execute("SELECT sku_code FROM catalog_sku ORDER BY sku_code LIMIT 1").fetchone()[0]
    before = json.loads(run("stock", "show", "--sku", sku, "--json", data_dir=demo).stdout)["total"]["on_hand"]
    moved = run("stock", "move", "--sku", sku, "--qty", "7", "--type", "receipt", "--ref", "cli-1", "--json",
                data_dir=demo)
    assert moved.returncode == 0, moved.stderr
    data = json.loads(moved.stdout)
    assert data["created"] is True and data["total"]["on_hand"] == before + 7
    again = json.loads(run("stock", "move", "--sku", sku, "--qty", "7", "--ref", "cli-1", "--json",
                           data_dir=demo).stdout)
    assert again["created"] is False and again["total"]["on_hand"] == before + 7
    bad = run("stock", "move", "--sku", "NOPE", "--qty", "1", "--ref", "x", data_dir=demo)
    assert bad.returncode == 2 and "NOPE" in bad.stderr
    synced = run("stock", "sync", "--json", data_dir=demo)
    assert synced.returncode == 0, synced.stderr
    sync = json.loads(synced.stdout)
    assert sync["channels"] and sync["files"] and all(c["change"] == c["qty"] for c in sync["channels"])
    second = json.loads(run("stock", "sync", "--json", data_dir=demo).stdout)
    assert all(c["change"] == 0 for c in second["channels"])


def test_replenish_json(demo):
    result = run("replenish", "--all", "--date", "2026-11-20", "--json", data_dir=demo)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and set(rows[0]) >= {"sku", "on_hand", "available", "in_transit", "forecast_daily", "safety_stock",
                                     "reorder_point", "suggested_qty", "reason"}
    assert run("replenish", "--date", "not-a-date", data_dir=demo).returncode == 2
