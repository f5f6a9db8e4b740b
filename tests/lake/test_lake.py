"""The lake's derived order facts: exact copies of the DB, one Delta commit per refresh, per-shop replacement."""

from __future__ import annotations

import json

import pyarrow.compute as pc
from django.db.models import Sum

from shopops.channels.services import channel_accounts_create_defaults
from shopops.core.services import shop_create
from shopops.lake.storage import read_table, table_info
from shopops.orders.models import Order, OrderLine
from shopops.orders.services import facts_rebuild, order_facts_refresh
from tests.cli.test_cli import run


def test_facts_equal_the_database_and_refresh_is_one_commit_per_table(shop):
    order_facts_refresh(shop=shop)
    info = {t["table"]: t for t in table_info()}
    orders = read_table("orders_fact").filter(pc.equal(pc.field("shop_id"), shop.pk))
    lines = read_table("order_lines_fact").filter(pc.equal(pc.field("shop_id"), shop.pk))
    assert orders.num_rows == Order.objects.filter(shop=shop).count()
    assert lines.num_rows == OrderLine.objects.filter(shop=shop).count()
    assert pc.sum(orders["paid_fen"]).as_py() == Order.objects.filter(shop=shop).aggregate(s=Sum("paid_fen"))["s"]
    assert pc.sum(lines["paid_fen"]).as_py() == OrderLine.objects.filter(shop=shop).aggregate(s=Sum("paid_fen"))["s"]
    assert set(pc.unique(lines["spu_code"]).to_pylist()) <= set(
        OrderLine.objects.filter(shop=shop).values_list("sku__product__spu_code", flat=True))
    before = info["orders_fact"]["version"]
    order_facts_refresh(shop=shop)
    after = {t["table"]: t for t in table_info()}
    assert after["orders_fact"]["version"] == before + 1  # one commit
    assert after["orders_fact"]["rows"] == info["orders_fact"]["rows"]  # replaced, not appended


def test_refreshing_one_shop_leaves_the_others(shop):
    order_facts_refresh(shop=shop)
    empty = shop_create(code="lake-empty", name="空店")
    channel_accounts_create_defaults(shop=empty)
    result = facts_rebuild()
    assert {r["shop"]: r["orders"] for r in result}["lake-empty"] == 0
    orders = read_table("orders_fact")
    assert pc.sum(pc.equal(orders["shop_id"], shop.pk)).as_py() == Order.objects.filter(shop=shop).count()
    assert pc.sum(pc.equal(orders["shop_id"], empty.pk)).as_py() == 0


def test_lake_commands(tmp_path):
    assert run("init", "--shop", "湖", "--admin-password", "Admin-pass-2026", data_dir=tmp_path).returncode == 0
    info = json.loads(run("lake", "info", "--json", data_dir=tmp_path).stdout)
    from shopops.lake.tables import TABLES

    assert {t["table"]: t["exists"] for t in info["tables"]} == dict.fromkeys(TABLES, False)
    rebuilt = run("lake", "rebuild", "--json", data_dir=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    tables = {t["table"]: t for t in json.loads(rebuilt.stdout)["tables"]}
    assert tables["orders_fact"]["exists"] and tables["orders_fact"]["rows"] == 0
    assert run("lake", "info", data_dir=tmp_path / "nothing-here").returncode == 2
