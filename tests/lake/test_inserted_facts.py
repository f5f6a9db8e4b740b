"""An order import tells the lake its new orders from its own columns (``NewOrderFacts``) instead of
reading them back (for speed, benchmarks/import_taobao_orders.py): the rows must be exactly the ones the DB
read-back gives, every column; ids shared with another writer fall back to reading back; customers an
import creates start with exactly the stats the DB would count."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from django.db import transaction

from shopops.catalog.models import Sku
from shopops.catalog.selectors import skus_by_code
from shopops.imports.formats.samples import SampleLine, SampleOrder, items_path_for, write_order_sample
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.lake.storage import read_table
from shopops.lake.tables import ORDER_LINES_FACT, ORDERS_FACT
from shopops.members.models import Customer
from shopops.orders import selectors as order_selectors
from shopops.orders.models import FactsRefreshDue
from shopops.orders.services import (
    NewOrderFacts,
    facts_refresh_owe,
    facts_settle_import,
    order_facts_refresh,
    orders_upsert_batch,
)
from shopops.orders.services import facts as lake_services
from tests.orders.test_batch import _batch


def _db_facts(shop) -> tuple[pa.Table, pa.Table]:
    orders = lake_services._table(order_selectors.order_fact_raw_columns(shop=shop), lake_services._ORDER_NAMES,
                                  ORDERS_FACT.schema)
    lines = lake_services._table(order_selectors.line_fact_raw_columns(shop=shop), lake_services._LINE_NAMES,
                                 ORDER_LINES_FACT.schema)
    return orders.sort_by("order_id"), lines.sort_by("line_id")


def _lake_facts(shop) -> tuple[pa.Table, pa.Table]:
    def of(name: str, table, key: str) -> pa.Table:
        rows = read_table(name).filter(pc.equal(pc.field("shop_id"), shop.pk))
        return rows.select(table.schema.names).cast(table.schema).sort_by(key)

    return of("orders_fact", ORDERS_FACT, "order_id"), of("order_lines_fact", ORDER_LINES_FACT, "line_id")


def _assert_lake_is_db(shop) -> None:
    (db_orders, db_lines), (lake_orders, lake_lines) = _db_facts(shop), _lake_facts(shop)
    assert db_orders.num_rows == lake_orders.num_rows and db_lines.num_rows == lake_lines.num_rows
    for name in ORDERS_FACT.schema.names:
        assert lake_orders[name].equals(db_orders[name]), name
    for name in ORDER_LINES_FACT.schema.names:
        assert lake_lines[name].equals(db_lines[name]), name


def _new_facts(shop) -> NewOrderFacts:
    return NewOrderFacts(shop_id=shop.pk, sku_ids=Sku.objects.filter(shop=shop).values_list("pk", flat=True))


def _import(shop, orders: Path) -> dict:
    job = import_job_create(shop=shop, format_name="taobao-orders", path=str(orders),
                            items_path=str(items_path_for(orders)))
    return import_summary(import_job_run(job_id=job.pk))


def _write(shop, path: Path, orders: int, *, prefix: str, buyers: str, seed: int = 3) -> Path:
    """Orders of one to three lines over the demo's SKUs, with shipping and order-level discounts, buyers
    coming back, paid times over three weeks (both sides of midnight Beijing time)."""
    rnd = random.Random(seed)
    skus = [(s.sku_code, s.product.title, s.price_fen) for s in skus_by_code(shop=shop).values()]
    start = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)

    def made():
        for n in range(orders):
            picked = tuple(SampleLine(code, title, price, rnd.choice((1, 1, 2)))
                           for code, title, price in rnd.sample(skus, rnd.choice((1, 2, 3))))
            goods = sum(line.unit_price_fen * line.qty for line in picked)
            ship = rnd.choice((0, 600))
            at = start + dt.timedelta(seconds=rnd.randint(0, 21 * 86400))
            yield SampleOrder(f"{prefix}{n:08d}", f"{buyers}{rnd.randint(1, orders // 3 + 1)}", at, at,
                              rnd.choice(("completed", "shipped", "paid")), goods + ship - rnd.randint(0, goods // 10),
                              ship, picked, "浙江省", "杭州市")

    write_order_sample("taobao-orders", path, made())
    return path


def test_an_imports_new_orders_reach_the_lake_exactly_as_the_db_reads_them(shop, tmp_path):
    order_facts_refresh(shop=shop)
    path = _write(shop, tmp_path / "orders.csv", 400, prefix="77", buyers="facts_buyer")
    summary = _import(shop, path)
    assert summary["status"] == "done", summary["errors"]
    assert summary["inserted"] == summary["rows"] == 400
    assert not FactsRefreshDue.objects.filter(shop=shop).exists()  # paid
    _assert_lake_is_db(shop)
    # a corrected report: some orders change, more are new; the changed ones' dates are read back
    path = _write(shop, tmp_path / "orders.csv", 500, prefix="77", buyers="facts_buyer", seed=4)
    summary = _import(shop, path)
    assert summary["status"] == "done" and summary["updated"] > 0 and summary["inserted"] == 100
    _assert_lake_is_db(shop)


def test_ids_of_another_writer_in_between_make_the_lake_read_back(shop):
    """Two column-wise batches with someone else's order between their ids: replacing the id range would
    drop that order from the lake, so the dates are read back from the DB instead."""
    order_facts_refresh(shop=shop)
    new = _new_facts(shop)
    inserted = new.parts
    with transaction.atomic():
        orders_upsert_batch(shop=shop, batch=_batch(shop, ["GAP-1", "GAP-2"]), inserted=inserted)
        orders_upsert_batch(shop=shop, batch=_batch(shop, ["GAP-OTHER"]))  # not told to the lake
        orders_upsert_batch(shop=shop, batch=_batch(shop, ["GAP-3"]), inserted=inserted)
        days = [day for part in inserted for day in part.paid_dates]
        debt = facts_refresh_owe(shop=shop, date_from=min(days), date_to=max(days))
    ids = [pk for part in inserted for pk in part.order_ids]
    assert max(ids) - min(ids) + 1 > len(ids)  # the gap
    facts_settle_import(shop=shop, debt=debt, refresh=None, new=new)
    _assert_lake_is_db(shop)
    assert "GAP-OTHER" in read_table("orders_fact")["order_no"].to_pylist()
    assert not FactsRefreshDue.objects.filter(pk=debt).exists()


def test_one_range_of_ids_is_written_from_the_columns_next_to_other_orders_of_the_same_days(shop):
    order_facts_refresh(shop=shop)
    orders_upsert_batch(shop=shop, batch=_batch(shop, ["SAME-DAY-OLD"]))
    order_facts_refresh(shop=shop)
    new = _new_facts(shop)
    with transaction.atomic():
        orders_upsert_batch(shop=shop, batch=_batch(shop, ["SAME-DAY-1", "SAME-DAY-2", "SAME-DAY-3"]),
                            inserted=new.parts)
        debt = facts_refresh_owe(shop=shop, date_from=dt.date(2026, 11, 11), date_to=dt.date(2026, 11, 11))
    calls = []
    real = lake_services.order_facts_refresh
    lake_services.order_facts_refresh = lambda **kw: calls.append(kw) or real(**kw)
    try:
        facts_settle_import(shop=shop, debt=debt, refresh=None, new=new)
    finally:
        lake_services.order_facts_refresh = real
    assert calls == []  # nothing read back
    _assert_lake_is_db(shop)
    numbers = read_table("orders_fact")["order_no"].to_pylist()
    assert numbers.count("SAME-DAY-OLD") == 1 and numbers.count("SAME-DAY-2") == 1


def test_customers_an_import_creates_start_with_the_stats_the_db_counts(shop, tmp_path):
    before = set(Customer.objects.filter(shop=shop).values_list("pk", flat=True))
    summary = _import(shop, _write(shop, tmp_path / "orders.csv", 300, prefix="78", buyers="stats_buyer"))
    assert summary["status"] == "done", summary["errors"]
    created = Customer.objects.filter(shop=shop).exclude(pk__in=before)
    assert 0 < created.count() < 300 and created.filter(orders_count__gt=1).exists()  # buyers come back
    counted = {row[0]: row[1:] for row in order_selectors.customer_order_stats_rows(shop=shop)}
    for customer in Customer.objects.filter(shop=shop):
        assert (customer.orders_count, customer.paid_fen_total, customer.first_order_at,
                customer.last_order_at) == counted.get(customer.pk, (0, 0, None, None)), customer.code
    # orders of the same buyers in a second file: the customers exist now and are counted by the DB
    summary = _import(shop, _write(shop, tmp_path / "more.csv", 60, prefix="79", buyers="stats_buyer", seed=9))
    assert summary["inserted"] == 60
    counted = {row[0]: row[1:] for row in order_selectors.customer_order_stats_rows(shop=shop)}
    for customer in created:
        customer.refresh_from_db()
        assert (customer.orders_count, customer.paid_fen_total, customer.first_order_at,
                customer.last_order_at) == counted[customer.pk], customer.code

