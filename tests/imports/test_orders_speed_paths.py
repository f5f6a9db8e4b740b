"""The order import's fast paths give the same records as the slow ones they replace (for speed:
benchmarks/import_taobao_orders.py): raw inserts of customers, raw reads of the lake facts and customer
statistics, statistics and lake facts recomputed only for the customers and dates an import touched."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow.compute as pc
from django.db import connection
from django.db.models import Sum

from shopops.catalog.selectors import skus_by_code
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.lake.storage import read_table
from shopops.members.models import Customer, CustomerIdentity
from shopops.members.services import CustomerInput, customers_create_bulk, db_datetime_adapter
from shopops.orders import selectors as order_selectors
from shopops.orders.models import Order, OrderLine
from shopops.orders.services import order_facts_refresh

HEADER = ["订单编号", "买家会员名", "买家应付邮费", "买家实际支付金额", "订单状态", "收货地址 ", "订单创建时间",
          "订单付款时间 ", "宝贝标题 ", "宝贝总数量", "商家编码"]


def _write(path: Path, shop, rows: list[tuple[str, str, str, str]]) -> Path:
    """(order no, buyer, paid, payment time) per order, one SKU line each."""
    code = sorted(skus_by_code(shop=shop))[0]
    with path.open("w", encoding="gbk", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for number, buyer, paid, at in rows:
            writer.writerow([f'="{number}"', buyer, "0.00", paid, "交易成功", "浙江省 杭州市", at, at, "商品", "1", code])
    return path


def _import(shop, path: Path) -> dict:
    job = import_job_create(shop=shop, format_name="taobao-orders", path=str(path))
    return import_summary(import_job_run(job_id=job.pk))


def _customer(shop, buyer: str) -> Customer:
    return Customer.objects.get(shop=shop, identities__channel="tmall", identities__external_id=buyer)


def test_customers_create_bulk_writes_what_the_orm_would(shop):
    at = dt.datetime(2026, 10, 2, 3, 4, 5, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    ids = customers_create_bulk(shop=shop, customers=[
        CustomerInput("speed-c1", "甲", at, "138****0000", "浙江省", "杭州市", (("tmall", "speed_buyer_1"),)),
        CustomerInput("speed-c2", "乙", at, identities=(("jd", "speed_buyer_2"), ("douyin", "speed_buyer_2"))),
    ])
    first = Customer.objects.get(pk=ids["speed-c1"])
    assert (first.code, first.name, first.phone_masked, first.province, first.city) == (
        "speed-c1", "甲", "138****0000", "浙江省", "杭州市")
    assert first.created_at == at and (first.orders_count, first.paid_fen_total, first.last_order_at) == (0, 0, None)
    assert sorted(CustomerIdentity.objects.filter(customer_id=ids["speed-c2"]).values_list("channel", flat=True)) \
        == ["douyin", "jd"]
    assert customers_create_bulk(shop=shop, customers=[]) == {}


def test_the_fast_datetime_adapter_matches_django():
    adapt = db_datetime_adapter()
    for value in (dt.datetime(2026, 10, 2, 3, 4, 5, tzinfo=dt.UTC),
                  dt.datetime(2026, 10, 2, 3, 4, 5, 120, tzinfo=dt.timezone(dt.timedelta(hours=8))), None):
        assert adapt(value) == connection.ops.adapt_datetimefield_value(value)


def test_raw_reads_equal_the_orm_reads(shop):
    expected = {row["customer_id"]: (row["n"], row["total"], row["first"], row["last"])
                for row in order_selectors.customer_order_stats(shop=shop)}
    got = {c: (n, total, first, last) for c, n, total, first, last
           in order_selectors.customer_order_stats_rows(shop=shop)}
    assert got == expected
    some = sorted(expected)[:5]
    assert {row[0]: row[1:] for row in order_selectors.customer_order_stats_rows(shop=shop, customer_ids=some)} == {
        c: expected[c] for c in some}
    lonely = Customer.objects.filter(shop=shop, orders__isnull=True).values_list("pk", flat=True).first()
    if lonely is not None:  # a customer without orders is reset
        assert order_selectors.customer_order_stats_rows(shop=shop, customer_ids=[lonely]) == [(lonely, 0, 0, None, None)]
    orders = order_selectors.order_fact_raw_columns(shop=shop)
    assert orders["pk"] == sorted(Order.objects.filter(shop=shop).values_list("pk", flat=True))
    assert sum(orders["paid_fen"]) == Order.objects.filter(shop=shop).aggregate(s=Sum("paid_fen"))["s"]
    lines = order_selectors.line_fact_raw_columns(shop=shop)
    orm = order_selectors.line_fact_columns(shop=shop)
    assert lines["pk"] == orm["pk"] and lines["sku__product__category__code"] == orm["sku__product__category__code"]


def test_an_import_recomputes_the_stats_of_the_customers_it_touched(shop, tmp_path):
    path = _write(tmp_path / "a.csv", shop, [("9200000000001", "speed_old", "50.00", "2026-10-05 10:00:00"),
                                             ("9200000000002", "speed_old", "20.00", "2026-10-06 10:00:00")])
    assert _import(shop, path)["inserted"] == 2
    old = _customer(shop, "speed_old")
    assert (old.orders_count, old.paid_fen_total) == (2, 7000)
    # A corrected report: the second order was another buyer's, and the first one's amount changed.
    _write(path, shop, [("9200000000001", "speed_old", "45.00", "2026-10-05 10:00:00"),
                        ("9200000000002", "speed_new", "20.00", "2026-10-06 10:00:00")])
    assert _import(shop, path)["updated"] == 2
    old.refresh_from_db()
    new = _customer(shop, "speed_new")
    assert (old.orders_count, old.paid_fen_total) == (1, 4500)
    assert (new.orders_count, new.paid_fen_total) == (1, 2000)
    assert old.last_order_at == dt.datetime(2026, 10, 5, 2, 0, tzinfo=dt.UTC)


def _lake_matches_db(shop) -> None:
    orders = read_table("orders_fact").filter(pc.equal(pc.field("shop_id"), shop.pk))
    lines = read_table("order_lines_fact").filter(pc.equal(pc.field("shop_id"), shop.pk))
    assert sorted(orders["order_id"].to_pylist()) == sorted(Order.objects.filter(shop=shop).values_list("pk", flat=True))
    assert sorted(lines["line_id"].to_pylist()) == sorted(
        OrderLine.objects.filter(shop=shop).values_list("pk", flat=True))
    assert pc.sum(orders["paid_fen"]).as_py() == Order.objects.filter(shop=shop).aggregate(s=Sum("paid_fen"))["s"]
    by_id = dict(zip(orders["order_id"].to_pylist(), orders["paid_at"].to_pylist(), strict=True))
    for pk, paid_at in Order.objects.filter(shop=shop).values_list("pk", "paid_at")[:200]:
        assert by_id[pk] == paid_at


def test_the_lake_is_refreshed_for_the_touched_dates_and_stays_equal_to_the_db(shop, tmp_path):
    order_facts_refresh(shop=shop)  # the whole shop, as `shopops lake rebuild` does
    _lake_matches_db(shop)
    path = _write(tmp_path / "a.csv", shop, [("9200000000011", "speed_lake", "50.00", "2026-10-05 10:00:00"),
                                             ("9200000000012", "speed_lake", "20.00", "2026-10-09 23:30:00")])
    assert _import(shop, path)["inserted"] == 2
    _lake_matches_db(shop)
    # Corrected: one order moves to another date, outside the first import's range.
    _write(path, shop, [("9200000000011", "speed_lake", "50.00", "2026-10-05 10:00:00"),
                        ("9200000000012", "speed_lake", "20.00", "2026-10-20 08:00:00")])
    assert _import(shop, path)["updated"] == 1
    _lake_matches_db(shop)
    order = Order.objects.get(shop=shop, order_no="9200000000012")
    assert order.paid_date == dt.date(2026, 10, 20)
    again = _import(shop, path)
    assert again["unchanged"] == again["rows"] == 2
    _lake_matches_db(shop)
