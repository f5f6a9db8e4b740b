"""The dashboard's last-30-days cards, channels and trend come from the analytics metric layer: one GMV and one
refund definition (refunds by payment date, docs/metrics.md#refunds), so the dashboard says what the metric
layer (and the API) says for the same period — on the demo shop and on a shop whose orders came from an import.

Each test copies the shop's orders into its own temporary lake (``lake.services.order_facts_refresh``): the
session's lake is shared by every test of a worker.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext

from shopops.analytics.metrics import compute
from shopops.analytics.selectors.alerts import OVERVIEW_METRICS, shop_tables
from shopops.analytics.selectors.dashboard import dashboard_data
from shopops.ui.templatetags.shopops import fen

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def lake(settings, tmp_path, shop):
    from shopops.orders.services import order_facts_refresh

    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    order_facts_refresh(shop=shop)
    return tmp_path / "lake"


def _world_expected(world, start: dt.date, end: dt.date) -> dict:
    """The key numbers straight from the simulated world, independently of the DB and the lake: GMV and
    refunds of the orders paid on start..end (refunds by payment date: every successful refund of those
    orders, whenever it completed)."""
    orders = [o for o in world.orders if start <= o.paid_at.astimezone(TZ).date() <= end]
    paid = {o.order_no for o in orders}
    refunds = [r for r in world.refunds if r.status == "success" and r.order_no in paid]
    return {
        "gmv": sum(o.paid_fen for o in orders),
        "orders": len(orders),
        "buyers": len({o.customer_code for o in orders}),
        "refund_amount": sum(r.amount_fen for r in refunds),
    }


def _metric_layer(shop, start: dt.date, end: dt.date) -> dict:
    return compute(shop_tables(shop), date_from=start, date_to=end, metrics=OVERVIEW_METRICS)["totals"]


def _cards(data: dict) -> dict:
    return {card["key"]: card for card in data["monthly"]}


def test_30_day_cards_are_the_metric_layers_numbers_on_the_demo_shop(shop, test_world, lake):
    day = test_world.end_date
    start = day - dt.timedelta(days=29)
    data = dashboard_data(shop=shop, day=day)
    cards = _cards(data)
    assert list(cards) == ["gmv", "orders", "buyers", "aov", "refund_amount"]
    layer = _metric_layer(shop, start, day)
    assert {key: card["value"] for key, card in cards.items()} == {m: layer[m] for m in OVERVIEW_METRICS}
    expected = _world_expected(test_world, start, day)
    assert expected["orders"] > 0 and expected["refund_amount"] > 0
    for key in ("gmv", "orders", "buyers", "refund_amount"):
        assert cards[key]["value"] == expected[key], key
    assert cards["aov"]["value"] == (expected["gmv"] * 2 + expected["buyers"]) // (2 * expected["buyers"])
    previous = _metric_layer(shop, start - dt.timedelta(days=30), start - dt.timedelta(days=1))
    assert cards["gmv"]["previous"] == previous["gmv"]
    assert cards["gmv"]["change_prev"] == pytest.approx((layer["gmv"] - previous["gmv"]) / previous["gmv"])


def test_refunds_count_by_payment_date_not_completion_date(shop, test_world, lake):
    """A refund completed after the period still counts for the order paid in it (and one completed in the
    period for an order paid before it does not): the basis the card's label states."""
    day = test_world.end_date
    start = day - dt.timedelta(days=29)
    by_completion = sum(r.amount_fen for r in test_world.refunds if r.status == "success" and r.completed_at
                        and start <= r.completed_at.astimezone(TZ).date() <= day)
    refunds = _cards(dashboard_data(shop=shop, day=day))["refund_amount"]
    assert refunds["value"] == _world_expected(test_world, start, day)["refund_amount"] != by_completion
    assert str(refunds["label"]) == gettext("Refunds (by payment date)")


def test_trend_and_channels_add_up_to_the_cards(shop, test_world, lake):
    day = test_world.end_date
    data = dashboard_data(shop=shop, day=day)
    cards = _cards(data)
    trend = data["trend"]
    assert len(trend) == 90 and trend[-1]["date"] == day and trend[0]["date"] == day - dt.timedelta(days=89)
    assert sum(r["gmv_fen"] for r in trend[-30:]) == cards["gmv"]["value"] == data["gmv30_fen"]
    assert sum(r["orders"] for r in trend[-30:]) == cards["orders"]["value"]
    assert cards["buyers"]["value"] <= sum(r["buyers"] for r in trend[-30:])  # distinct over the period
    channels = data["channels"]
    assert sum(r["gmv_fen"] for r in channels) == cards["gmv"]["value"]
    assert [r["gmv_fen"] for r in channels] == sorted((r["gmv_fen"] for r in channels), reverse=True)


def _card_html(html: str, key: str) -> str:
    match = re.search(rf'data-kpi="{key}">(.*?)</div>\s*</div>', html, re.S)
    assert match, key
    return match.group(1)


def test_page_shows_the_metric_layers_numbers_and_the_refund_basis(client_as, shop, test_world, lake):
    day = test_world.end_date
    layer = _metric_layer(shop, day - dt.timedelta(days=29), day)
    html = client_as("operator").get("/", {"date": day.isoformat(), "inline": "1"}).content.decode()
    assert layer["gmv"] > 0 and fen(layer["gmv"]) in _card_html(html, "gmv-30d")
    refunds = _card_html(html, "refund_amount-30d")
    assert gettext("Refunds (by payment date)") in refunds and fen(layer["refund_amount"]) in refunds
    assert 'id="gmv-chart"' in html and "vendor/plotly.min.js" in html and 'id="gmv-data"' in html
    month = client_as("operator").get("/", {"date": day.isoformat(), "days": "30", "inline": "1"}).content.decode()
    period = _card_html(month, "refund_amount-period")  # the period cards: the same number, the same label
    assert gettext("Refunds (by payment date)") in period and fen(layer["refund_amount"]) in period


# ---------------------------------------------------------------- a shop whose orders came from an import

def test_after_an_order_import_the_cards_equal_the_metric_layer_and_the_orders(shop, tmp_path, lake):
    """Orders imported through the pipeline (which refreshes the lake's facts) show on the dashboard exactly
    as the metric layer counts them, and as the orders in the database add up."""
    from django.db.models import Count, Sum

    from shopops.orders.models import Order
    from tests.lake.test_inserted_facts import _import, _write

    summary = _import(shop, _write(shop, tmp_path / "orders.csv", 300, prefix="88", buyers="dash_buyer"))
    assert summary["status"] == "done" and summary["inserted"] == 300, summary["errors"]
    day = dt.date(2026, 10, 21)  # the import's orders are paid 10-01 … 10-22 (UTC)
    start = day - dt.timedelta(days=29)
    cards = _cards(dashboard_data(shop=shop, day=day))
    layer = _metric_layer(shop, start, day)
    assert {key: card["value"] for key, card in cards.items()} == {m: layer[m] for m in OVERVIEW_METRICS}
    db = Order.objects.filter(shop=shop, paid_date__range=(start, day)).aggregate(
        gmv=Sum("paid_fen"), orders=Count("id"), buyers=Count("customer_id", distinct=True),
        refunds=Sum("refunded_fen"))
    assert Order.objects.filter(shop=shop, order_no__startswith="88", paid_date__range=(start, day)).count() > 250
    assert (cards["gmv"]["value"], cards["orders"]["value"], cards["buyers"]["value"],
            cards["refund_amount"]["value"]) == (db["gmv"], db["orders"], db["buyers"], db["refunds"] or 0)
