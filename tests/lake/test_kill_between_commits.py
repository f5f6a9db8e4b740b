"""Killing an order import between its DB commit and its lake commits (the rule: killing the
process in the middle of an import leaves the previous state): the two stores cannot share a transaction,
so the import records the refresh it owes in its DB transaction (orders.models.FactsRefreshDue); after the
kill the debt is on record and ``shopops lake settle`` (or the worker, or the next import) brings the lake's
order facts back to exactly the DB's.

A real process, SIGKILLed as soon as its progress file says ``lake``. Uses the shop and the file builder of
tests/imports/test_kill_order_import.py.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time

import pytest

from shopops.imports.formats.samples import items_path_for
from tests.imports import test_kill_order_import as kill
from tests.imports.test_kill_order_import import SHOPOPS, _env, _progress, shop_dir, shopops  # noqa: F401

ORDERS = 60_000  # the lake refresh of this many orders takes long enough to be caught


def _db_counts(data_dir) -> tuple[int, int]:
    with sqlite3.connect(data_dir / "shopops.sqlite3") as con:
        return (con.execute("SELECT count(*) FROM orders_order").fetchone()[0],
                con.execute("SELECT count(*) FROM orders_orderline").fetchone()[0])


def _lake(data_dir) -> dict:
    info = shopops("lake", "info", "--json", data_dir=data_dir)
    assert info.returncode == 0, info.stderr
    out = json.loads(info.stdout)
    return {"due": out["facts_refresh_due"],
            **{t["table"]: t["rows"] for t in out["tables"] if t["table"] in ("orders_fact", "order_lines_fact")}}


def test_a_kill_between_the_db_and_the_lake_commits_is_repaired(shop_dir, tmp_path, monkeypatch):  # noqa: F811
    data_dir = shop_dir
    monkeypatch.setattr(kill, "ORDERS", ORDERS)
    path = kill.big_taobao_file(data_dir, tmp_path)
    for old in (data_dir / "imports").glob("*.progress"):
        old.unlink()
    assert _lake(data_dir)["due"] == 0

    process = subprocess.Popen([SHOPOPS, "import", "taobao-orders", str(path), "--items", str(items_path_for(path)),
                                "--json"], env=_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen: dict = {}
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        seen = _progress(data_dir)
        if seen.get("phase") == "lake":
            break  # the orders are committed, the Delta commits are running
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    if process.returncode != -signal.SIGKILL:
        pytest.fail(f"the import finished before it could be killed (last progress {seen})")

    orders, lines = _db_counts(data_dir)
    stale = _lake(data_dir)
    assert stale["due"] == 1  # the debt committed with the orders
    assert (stale["orders_fact"], stale["order_lines_fact"]) != (orders, lines)  # the lake is behind

    settled = shopops("lake", "settle", "--json", data_dir=data_dir)
    assert settled.returncode == 0, settled.stderr
    assert [row["debts"] for row in json.loads(settled.stdout)["settled"]] == [1]
    assert _lake(data_dir) == {"due": 0, "orders_fact": orders, "order_lines_fact": lines}

    again = shopops("import", "taobao-orders", str(path), "--items", str(items_path_for(path)), "--json",
                    data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["unchanged"] == ORDERS  # the kill came after the commit: nothing to redo
    assert _lake(data_dir) == {"due": 0, "orders_fact": orders, "order_lines_fact": lines}
