"""Killing an order import in the middle leaves the previous state (docs/architecture.md#data:
importers validate, then write in one transaction, and the lake commit comes after it).

A real process: ``shopops import taobao-orders`` on a big file against a temporary data directory, SIGKILLed
while it is writing orders inside its transaction (its progress file says ``write``). Afterwards the
customers, orders, lines and refunds are exactly what they were (counts and a checksum of every row), the
lake's order facts have the same version and rows, and running the same import again imports every row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shopops.imports.formats.samples import SampleLine, SampleOrder, items_path_for, write_order_sample

SHOPOPS = str(Path(sys.executable).parent / "shopops")
ORDERS = 120_000  # big enough that writing takes several progress steps (5,000 orders a chunk)
CHECKED = {
    "orders_order": "id, channel_account_id, order_no, customer_id, status, paid_at, goods_fen, discount_fen, "
                    "shipping_fen, paid_fen, refunded_fen, fingerprint",
    "orders_orderline": "id, order_id, sku_id, unit_price_fen, qty, amount_fen, discount_fen, paid_fen",
    "orders_refund": "id, order_id, line_id, refund_no, amount_fen, status",
    "members_customer": "id, code, name, orders_count, paid_fen_total",
    "members_customeridentity": "id, customer_id, channel, external_id",
}


def shopops(*args: str, data_dir: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([SHOPOPS, *args], capture_output=True, text=True, env=_env(data_dir), timeout=timeout)


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SHOPOPS_LAKE_URI")}
    env["SHOPOPS_DATA_DIR"] = str(data_dir)
    return env


def state(data_dir: Path) -> dict[str, object]:
    """Row counts and a checksum of every checked table, and the order facts' lake version and rows."""
    result: dict[str, object] = {}
    with sqlite3.connect(data_dir / "shopops.sqlite3") as con:
        for table, columns in CHECKED.items():
            digest = hashlib.sha256()
            count = 0
            for row in con.execute(f"SELECT {columns} FROM {table} ORDER BY id"):
                digest.update(repr(row).encode())
                count += 1
            result[table] = (count, digest.hexdigest())
    info = shopops("lake", "info", "--json", data_dir=data_dir)
    assert info.returncode == 0, info.stderr
    for table in json.loads(info.stdout)["tables"]:
        if table["table"] in ("orders_fact", "order_lines_fact"):
            result[table["table"]] = (table["version"], table["rows"])
    return result


def big_taobao_file(data_dir: Path, folder: Path) -> Path:
    """ORDERS new Taobao orders (with their item report) over the demo shop's SKUs, new buyers each."""
    with sqlite3.connect(data_dir / "shopops.sqlite3") as con:
        skus = con.execute("SELECT sku_code, price_fen FROM catalog_sku ORDER BY id").fetchall()
    rnd = random.Random(3)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    orders = []
    for n in range(ORDERS):
        picked = rnd.sample(skus, rnd.choice((1, 1, 2, 3)))
        lines = tuple(SampleLine(code, f"商品 {code}", price, rnd.choice((1, 1, 2))) for code, price in picked)
        goods = sum(line.unit_price_fen * line.qty for line in lines)
        placed = start + dt.timedelta(seconds=n * 7)
        orders.append(SampleOrder(
            order_no=str(4_100_000_000_000_000_000 + n), buyer=f"kill_buyer_{n % 40_000:05d}", placed_at=placed,
            paid_at=placed + dt.timedelta(seconds=30), status="paid", paid_fen=goods - goods // 20,
            shipping_fen=0, lines=lines, province="浙江省", city="杭州市"))
    path = folder / "big-taobao.csv"
    written = write_order_sample("taobao-orders", path, orders)
    assert written["rows"] == ORDERS
    return path


@pytest.fixture(scope="module")
def shop_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("kill-orders")
    built = shopops("demo", "--days", "20", "--scale", "0.05", "--end-date", "2026-11-20", "--sink", "database",
                    "--password", "Demo-pass-2026", "--no-serve", "--json", data_dir=data_dir)
    assert built.returncode == 0, built.stderr
    return data_dir


def _progress(data_dir: Path) -> dict[str, object]:
    for path in (data_dir / "imports").glob("*.progress"):
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            continue
    return {}


def test_killing_an_order_import_mid_write_leaves_the_previous_state(shop_dir, tmp_path):
    data_dir = shop_dir
    path = big_taobao_file(data_dir, tmp_path)
    for old in (data_dir / "imports").glob("*.progress"):
        old.unlink()
    before = state(data_dir)
    assert before["orders_order"][0] > 0 and before["orders_refund"][0] > 0

    process = subprocess.Popen([SHOPOPS, "import", "taobao-orders", str(path), "--items", str(items_path_for(path)),
                                "--json"], env=_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen: dict[str, object] = {}
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        seen = _progress(data_dir)
        if seen.get("phase") == "write" and float(seen.get("progress", 0)) >= 0.6:
            break  # several chunks of orders are written inside the open transaction
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    assert seen.get("phase") == "write", seen

    assert state(data_dir) == before  # not one customer, order, line or refund; the lake facts unchanged

    again = shopops("import", "taobao-orders", str(path), "--items", str(items_path_for(path)), "--json",
                    data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["rows"] == ORDERS and summary["inserted"] == ORDERS and summary["rejected"] == 0
    after = state(data_dir)
    assert after["orders_order"][0] == before["orders_order"][0] + ORDERS
    assert after["orders_refund"] == before["orders_refund"]
    assert after["orders_fact"][1] == before["orders_fact"][1] + ORDERS
    assert after["orders_fact"][0] > before["orders_fact"][0]
