"""The periodic inventory tasks (huey), called as functions: the daily stock alerts for every shop and the
every-minute reservation expiry."""

from __future__ import annotations

import datetime as dt

from shopops.core.clock import today
from shopops.core.services import shop_create
from shopops.demo.seed_inventory import inventory_demo_seed
from shopops.inventory import services, tasks
from shopops.inventory.services import alerts
from shopops.reports.models import TodoItem

END = dt.date(2026, 11, 20)


def test_stock_alerts_are_a_daily_periodic_task():
    # 22:05 UTC = 06:05 Asia/Shanghai, once a day
    alerts, expiry = tasks.run_stock_alerts.task_class(), tasks.expire_reservations.task_class()
    assert alerts.validate_datetime(dt.datetime(2026, 11, 24, 22, 5))
    assert not alerts.validate_datetime(dt.datetime(2026, 11, 24, 22, 6))
    assert not alerts.validate_datetime(dt.datetime(2026, 11, 24, 6, 5))
    assert expiry.validate_datetime(dt.datetime(2026, 11, 24, 6, 7))


def test_the_task_raises_alerts_for_every_shop(shop):
    inventory_demo_seed(shop=shop, end_date=END, seed=7)
    other = shop_create(code="second", name="Second shop")
    result = tasks.run_stock_alerts.call_local()
    assert set(result) >= {shop.code, other.code}
    assert "error" not in result[shop.code] and result[other.code] == {}
    open_items = TodoItem.objects.filter(shop=shop, source="inventory", status="open")
    assert open_items.count() == sum(result[shop.code].values()) > 0
    # the same as running the service for the shop's local date: nothing new, nothing closed
    again = services.inventory_alerts_run(shop=shop, date=today(shop.timezone))
    assert again == result[shop.code]
    assert TodoItem.objects.filter(shop=shop, source="inventory", status="open").count() == open_items.count()


def test_one_failing_shop_does_not_stop_the_others(shop, monkeypatch):
    inventory_demo_seed(shop=shop, end_date=END, seed=7)
    broken = shop_create(code="broken", name="Broken")
    real = services.inventory_alerts_run

    def flaky(*, shop, date):
        if shop.code == "broken":
            raise RuntimeError("bad data")
        return real(shop=shop, date=date)

    monkeypatch.setattr(alerts, "inventory_alerts_run", flaky)
    result = services.inventory_alerts_all(date=END)
    assert result[broken.code] == {"error": 1}
    assert result[shop.code].get("stockout_risk", 0) > 0


def test_expiry_task_frees_units(shop):
    from shopops.catalog.selectors import skus_by_code

    code = sorted(skus_by_code(shop=shop))[0]
    services.stock_move(shop=shop, sku_code=code, qty=5, type="receipt", ref="t-in")
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    r, _created = services.reservation_create(shop=shop, sku_code=code, qty=2, ref="t-r", ttl_seconds=60, now=past)
    assert tasks.expire_reservations.call_local() >= 1
    r.refresh_from_db()
    assert r.status == "expired"
