"""Channel allocation and sync, replenishment on the demo world, alerts into the to-do list, demo seeding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shopops.core.errors import InvalidInput
from shopops.demo.seed_inventory import inventory_demo_seed
from shopops.inventory import selectors, services
from shopops.inventory.adapters import FileAdapter, PushItem
from shopops.inventory.domain import AlertInput, ChannelRuleSpec, allocate_channels, classify

END = dt.date(2026, 11, 20)


# ---------------------------------------------------------------- allocation (pure)


def test_allocation_floors_and_never_publishes_more_than_exists():
    """docs/rules/inventory.md#channel-allocation: sync = available × ratio, and "we should floor to avoid
    oversell"."""
    rules = [ChannelRuleSpec("tmall", Decimal("0.5"), priority=1), ChannelRuleSpec("jd", Decimal("0.3"), priority=2),
             ChannelRuleSpec("douyin", Decimal("0.3"), priority=3)]
    out = {c.channel: c.qty for c in allocate_channels(available=11, in_transit=0, buffer=1, rules=rules)}
    assert out == {"tmall": 5, "jd": 3, "douyin": 2}  # 10 sellable: 5 + 3, then only 2 left for douyin
    equal = [ChannelRuleSpec(c, Decimal(1) / 3) for c in ("a", "b", "c")]
    out = [c.qty for c in allocate_channels(available=10, in_transit=0, buffer=0, rules=equal)]
    assert out == [4, 3, 3] and sum(out) == 10
    capped = allocate_channels(available=100, in_transit=8, buffer=0, rules=[
        ChannelRuleSpec("tmall", Decimal(1), cap=20, priority=1, presale=5),
        ChannelRuleSpec("jd", Decimal(1), priority=2, presale=5)])
    assert [(c.stock, c.presale) for c in capped] == [(20, 5), (80, 3)]  # presale only from what is in transit
    assert [c.qty for c in allocate_channels(available=2, in_transit=0, buffer=5, rules=rules)] == [0, 0, 0]


@pytest.mark.parametrize("available", range(0, 40, 3))
def test_allocation_sum_bound(available):
    rules = [ChannelRuleSpec(f"c{i}", Decimal(r), cap=cap, priority=p)
             for i, (r, cap, p) in enumerate([("0.7", None, 2), ("0.45", 9, 1), ("1", None, 3), ("0.1", 2, 1)])]
    out = allocate_channels(available=available, in_transit=0, buffer=2, rules=rules)
    assert sum(c.qty for c in out) <= max(0, available - 2)
    assert all(c.qty >= 0 for c in out)


def test_alert_classification():
    assert [a.kind for a in classify(AlertInput("A", 10, 0, 2.0, 12, 60))] == ["stockout_risk"]
    assert classify(AlertInput("A", 0, 0, 2.0, 12, 60))[0].severity == "critical"
    assert [a.kind for a in classify(AlertInput("A", 1000, 0, 2.0, 12, 60))] == ["overstock"]
    assert [a.kind for a in classify(AlertInput("A", 5, 0, 0.0, 12, 0))] == ["slow_mover"]


# ---------------------------------------------------------------- sync


def test_file_adapter_compare_and_set(tmp_path):
    adapter = FileAdapter(tmp_path)
    at = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
    assert [r.status for r in adapter.push(channel="tmall", items=[PushItem("A", None, 5)], at=at)] == ["ok"]
    # someone changed the platform to 3: a push expecting 4 is refused, one expecting 5 goes through
    assert adapter.push(channel="tmall", items=[PushItem("A", 4, 9)], at=at)[0].status == "stale"
    assert adapter.push(channel="tmall", items=[PushItem("A", 5, 9)], at=at)[0].status == "ok"
    assert adapter.platform_state("tmall") == {"A": 9}
    text = adapter.written[-1].read_text(encoding="utf-8-sig")
    assert text.splitlines() == ["商家编码,可售库存", "A,9"]


def test_stock_sync_reports_changes_and_writes_files(shop, tmp_path):
    from shopops.catalog.selectors import skus_by_code

    code = sorted(skus_by_code(shop=shop))[0]
    services.stock_move(shop=shop, sku_code=code, qty=10, type="receipt", ref="s1")
    services.channel_rule_set(shop=shop, channel="tmall", ratio="0.5", priority=1, buffer=2)
    adapter = FileAdapter(tmp_path)
    first = services.stock_sync(shop=shop, adapter=adapter)
    mine = [r for r in first["rows"] if r["sku"] == code]
    assert sum(r["qty"] for r in mine) <= 8 and {r["status"] for r in mine} == {"ok"}
    assert next(r for r in mine if r["channel"] == "tmall")["qty"] == 4
    assert first["files"] and all(r["change"] == r["qty"] for r in mine)
    services.reservation_create(shop=shop, sku_code=code, qty=4, ref="o1")
    again = [r for r in services.stock_sync(shop=shop, adapter=adapter)["rows"] if r["sku"] == code]
    assert next(r for r in again if r["channel"] == "tmall") | {} == next(
        r for r in again if r["channel"] == "tmall")
    assert sum(r["qty"] for r in again) <= 4 and sum(r["change"] for r in again) < 0
    with pytest.raises(InvalidInput):
        services.channel_rule_set(shop=shop, channel="tmall", ratio="1.5")


# ---------------------------------------------------------------- seeding, replenishment, alerts


@pytest.fixture
def seeded(shop):
    result = inventory_demo_seed(shop=shop, end_date=END, seed=7)
    assert result["created"] == 1
    return shop


def test_demo_seed_is_consistent_with_sales(seeded):
    from shopops.catalog.selectors import skus_by_code
    from shopops.orders.selectors import line_fact_columns

    shop = seeded
    assert inventory_demo_seed(shop=shop, end_date=END, seed=7) == {"created": 0}
    cols = line_fact_columns(shop=shop)
    sold = {}
    for sku_id, qty in zip(cols["sku_id"], cols["qty"], strict=True):
        sold[sku_id] = sold.get(sku_id, 0) + qty
    for sku in list(skus_by_code(shop=shop).values())[:40]:
        ledger = selectors.ledger_sums(shop=shop, sku_id=sku.pk)
        balances = selectors.balances_for_sku(shop=shop, sku_id=sku.pk)
        assert sum(ledger.values()) == balances["total"]["on_hand"] >= 0
        sales = -sum(m.qty for m in selectors.ledger(shop=shop, sku_id=sku.pk, limit=10_000) if m.type == "sale")
        assert sales == sold.get(sku.pk, 0)
    statuses = sorted(selectors.purchase_orders(shop=shop)[0].values_list("status", flat=True))
    assert statuses == ["draft", "ordered", "received"]


def test_replenishment_plan_and_approval(seeded):
    shop = seeded
    rows = selectors.replenishment_plan(shop=shop, end=END)
    assert rows and set(rows[0]) >= {"sku", "on_hand", "available", "in_transit", "forecast_daily",
                                     "safety_stock", "reorder_point", "suggested_qty", "reason"}
    to_order = [r for r in rows if r["suggested_qty"] > 0]
    assert to_order, "the seed leaves some SKUs short"
    for r in to_order:
        assert r["on_hand"] - 0 + r["in_transit"] + r["on_draft_po"] <= r["reorder_point"] + r["on_hand"]
    codes = [r["sku"] for r in to_order[:3]]
    orders, skipped = services.replenishment_approve(shop=shop, sku_codes=codes, end=END)
    assert orders and not skipped
    assert {li.sku.sku_code for o in orders for li in o.lines.all()} == set(codes)
    again = {r["sku"]: r for r in selectors.replenishment_plan(shop=shop, end=END)}
    for code in codes:  # the drafts count as incoming: approving again would order (almost) nothing more
        assert again[code]["on_draft_po"] > 0
        assert again[code]["suggested_qty"] < next(r for r in to_order if r["sku"] == code)["suggested_qty"] or \
            again[code]["suggested_qty"] == 0


def test_alerts_go_to_the_todo_list_and_close_when_cleared(seeded):
    from shopops.reports.models import TodoItem

    shop = seeded
    counts = services.inventory_alerts_run(shop=shop, date=END)
    assert counts.get("stockout_risk", 0) > 0
    items = TodoItem.objects.filter(shop=shop, source="inventory", status="open")
    assert items.count() == sum(counts.values())
    risk = items.filter(key__startswith="stockout_risk:").first()
    assert risk.url.startswith("/") and risk.severity in ("warning", "critical")
    code = risk.key.split(":", 1)[1]
    services.stock_move(shop=shop, sku_code=code, qty=100_000, type="receipt", ref="fix")
    services.inventory_alerts_run(shop=shop, date=END)
    assert not TodoItem.objects.filter(shop=shop, source="inventory", key=risk.key, status="open").exists()


def test_forecasts_take_the_shops_promotion_days_as_uplift_events(shop, monkeypatch):
    """The selectors feed campaigns.selectors.promotion_days (history and horizon) into the
    forecast. We mark a SKU's five best past days and two future days as promotion days: its uplift ratio is
    above 1 and the forecast on the future promotion days is above the same weekday a week apart."""
    import numpy as np


    ids, Y = selectors.sales_history(shop=shop, end=END)
    i = int(np.argmax(Y.sum(axis=1)))
    start = END - dt.timedelta(days=Y.shape[1] - 1)
    best = {start + dt.timedelta(days=int(j)) for j in np.argsort(Y[i])[-5:]}
    future = {END + dt.timedelta(days=3), END + dt.timedelta(days=4)}
    seen = {}

    def fake(*, shop, start, end):
        seen["range"] = (start, end)
        return {d: ["双11"] for d in sorted(best | future) if start <= d <= end}

    monkeypatch.setattr(selectors, "promotion_days", fake)  # the name inventory reads it by
    out = selectors.sku_forecast(shop=shop, sku_id=ids[i], end=END, h=14)
    assert seen["range"] == (start, END + dt.timedelta(days=14))
    assert out["promotion_uplift"] > 1
    assert set(out["promotions"]) == {d.isoformat() for d in future}
    mean = out["mean"]
    assert mean[2] > mean[2 + 7] and mean[3] > mean[3 + 7]  # day 3 and 4 of the horizon vs a week later
    rows = {r["sku_id"]: r for r in selectors.replenishment_plan(shop=shop, end=END)}
    assert rows[ids[i]]["promotion_uplift"] == out["promotion_uplift"]

    monkeypatch.setattr(selectors, "promotion_days", lambda **kw: {})
    plain = selectors.sku_forecast(shop=shop, sku_id=ids[i], end=END, h=14)
    assert plain["promotion_uplift"] == 1.0 and plain["promotions"] == {}
    assert plain["mean"][2] == pytest.approx(plain["mean"][2 + 7], abs=0.01)  # no event: no bump on day 3
