"""The lake's order facts never silently disagree with the DB (killing an import leaves
the previous state): the debt is recorded in the orders' transaction and paid after the Delta commits
(orders.models.FactsRefreshDue, a transactional outbox)."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow.compute as pc
import pytest
from django.db import transaction

from shopops.lake.storage import read_table
from shopops.orders.models import FactsRefreshDue, Order
from shopops.orders.services import (
    facts_rebuild,
    facts_refresh_owe,
    facts_refresh_settle,
    order_facts_refresh,
)
from shopops.orders.tasks import settle_facts_refreshes
from tests.cli.test_cli import run


def _lake_refunded(shop, order_pk: int) -> int:
    facts = read_table("orders_fact").filter(pc.equal(pc.field("shop_id"), shop.pk))
    return facts.filter(pc.equal(facts["order_id"], order_pk))["refunded_fen"].to_pylist()[0]


def _change_an_order(shop) -> Order:
    """What an import's transaction does: change an order and record the debt, then commit."""
    order = Order.objects.filter(shop=shop, refunded_fen=0, paid_fen__gt=0).order_by("pk").first()
    with transaction.atomic():
        Order.objects.filter(pk=order.pk).update(refunded_fen=1)
        facts_refresh_owe(shop=shop, date_from=order.paid_date, date_to=order.paid_date)
    return order


@pytest.fixture
def fresh_lake(shop):
    order_facts_refresh(shop=shop)
    FactsRefreshDue.objects.all().delete()
    return shop


def test_a_crash_after_the_db_commit_leaves_the_debt_and_settling_pays_it(fresh_lake):
    shop = fresh_lake
    order = _change_an_order(shop)
    # the process dies here: the DB has the change, the lake has not, the debt says so
    assert _lake_refunded(shop, order.pk) == 0
    assert FactsRefreshDue.objects.filter(shop=shop).count() == 1
    paid = facts_refresh_settle(shop=shop)
    assert [(p["date_from"], p["debts"]) for p in paid] == [(order.paid_date.isoformat(), 1)]
    assert _lake_refunded(shop, order.pk) == 1
    assert not FactsRefreshDue.objects.exists()
    assert facts_refresh_settle() == []  # nothing owed, nothing done


def test_the_debt_rolls_back_with_the_orders(fresh_lake):
    shop = fresh_lake
    order = Order.objects.filter(shop=shop).order_by("pk").first()
    with pytest.raises(RuntimeError), transaction.atomic():
        facts_refresh_owe(shop=shop, date_from=order.paid_date, date_to=order.paid_date)
        raise RuntimeError("invalid row")
    assert not FactsRefreshDue.objects.exists()


def test_debts_of_a_shop_are_paid_in_one_refresh_over_their_span(fresh_lake):
    shop = fresh_lake
    day = Order.objects.filter(shop=shop).order_by("paid_date").first().paid_date
    facts_refresh_owe(shop=shop, date_from=day, date_to=day)
    facts_refresh_owe(shop=shop, date_from=day + dt.timedelta(days=5), date_to=day + dt.timedelta(days=7))
    paid = facts_refresh_settle()
    assert [(p["shop"], p["date_from"], p["date_to"], p["debts"]) for p in paid] == [
        (shop.code, day.isoformat(), (day + dt.timedelta(days=7)).isoformat(), 2)]


def test_the_worker_takes_only_debts_left_behind(fresh_lake):
    shop = fresh_lake
    order = _change_an_order(shop)
    assert settle_facts_refreshes.call_local() == 0  # fresh: its import is about to pay it
    FactsRefreshDue.objects.update(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert settle_facts_refreshes.call_local() == 1
    assert _lake_refunded(shop, order.pk) == 1 and not FactsRefreshDue.objects.exists()


def test_rebuild_pays_the_debts(fresh_lake):
    shop = fresh_lake
    order = _change_an_order(shop)
    facts_rebuild()
    assert _lake_refunded(shop, order.pk) == 1 and not FactsRefreshDue.objects.exists()


def test_lake_info_and_settle_commands(tmp_path):
    assert run("init", "--shop", "湖", "--admin-password", "Admin-pass-2026", data_dir=tmp_path).returncode == 0
    info = json.loads(run("lake", "info", "--json", data_dir=tmp_path).stdout)
    assert info["facts_refresh_due"] == 0
    settled = run("lake", "settle", "--json", data_dir=tmp_path)
    assert settled.returncode == 0, settled.stderr
    assert json.loads(settled.stdout) == {"settled": []}
    assert run("lake", "settle", data_dir=tmp_path / "nothing-here").returncode == 2  # no install: a clear exit 2
