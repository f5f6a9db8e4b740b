"""The home dashboard's KPI cards: numbers from the analytics metric layer on a small hand-checked data set.

Definitions (docs/rules/metrics.md): GMV = paid amount incl. shipping, refunds not deducted; visitors and
buyers are distinct people (a period total is recomputed, never the sum of days); CVR = buyers / visitors;
AOV = GMV / buyers.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from shopops.analytics import metrics as metric_layer
from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.selectors import alerts as alert_selectors
from shopops.analytics.selectors.alerts import kpi_cards

DAY = dt.date(2026, 11, 17)  # a Tuesday
PREV = DAY - dt.timedelta(days=1)
WEEK = DAY - dt.timedelta(days=7)


def small_shop(*, with_events: bool = True) -> MemoryTables:
    """DAY: buyer 1 pays ¥10 + ¥30 (two orders), buyer 2 pays ¥40 of which ¥5 refunded → GMV ¥80, 3 orders,
    2 buyers; visitors a, b, c, d (4). PREV: buyer 3 pays ¥40; visitors a, e. WEEK: buyer 1 pays ¥20, buyer 4
    ¥20; visitors a, b, c, d, e (5)."""
    rows = [  # (order, customer, day, paid_fen, refunded_fen)
        (1, 1, DAY, 1000, 0), (2, 1, DAY, 3000, 0), (3, 2, DAY, 4000, 500),
        (4, 3, PREV, 4000, 0),
        (5, 1, WEEK, 2000, 0), (6, 4, WEEK, 2000, 0),
    ]
    visits = {DAY: "abcd", PREV: "ae", WEEK: "abcde"}
    events = [(day, u) for day, users in visits.items() for u in users]
    data: dict[str, dict] = {
        "orders_fact": {"order_id": [r[0] for r in rows], "customer_id": [r[1] for r in rows],
                        "paid_date": [r[2] for r in rows], "paid_fen": [r[3] for r in rows],
                        "refunded_fen": [r[4] for r in rows], "channel": ["tmall"] * len(rows)},
        "events": {"date": [e[0] for e in events], "user_id": [e[1] for e in events],
                   "behavior": ["pv"] * len(events), "channel": ["tmall"] * len(events)},
    }
    if not with_events:
        del data["events"]
    return MemoryTables(get_engine(), data)


@pytest.fixture
def known(monkeypatch):
    tables = small_shop()
    monkeypatch.setattr(alert_selectors, "shop_tables", lambda shop: tables)
    return tables


def test_one_day_cards_and_their_changes(shop, known):
    cards = {c["key"]: c for c in kpi_cards(shop=shop, end=DAY, days=1)["cards"]}
    assert list(cards) == ["gmv", "uv", "buyers", "cvr", "aov", "orders", "refund_amount"]
    assert cards["gmv"]["value"] == 8000 and cards["orders"]["value"] == 3 and cards["buyers"]["value"] == 2
    assert cards["uv"]["value"] == 4 and cards["cvr"]["value"] == pytest.approx(0.5)
    assert cards["aov"]["value"] == 4000 and cards["refund_amount"]["value"] == 500
    assert cards["gmv"]["change_prev"] == pytest.approx(1.0)  # ¥80 vs ¥40 the day before
    assert cards["gmv"]["change_wow"] == pytest.approx(1.0)  # vs ¥40 on the Tuesday before
    assert cards["uv"]["change_wow"] == pytest.approx(-0.2)  # 4 vs 5
    assert cards["refund_amount"]["change_prev"] is None  # nothing refunded the day before: undefined


def test_period_totals_recompute_distinct_people(shop, known):
    week = {c["key"]: c for c in kpi_cards(shop=shop, end=DAY, days=7)["cards"]}
    assert week["buyers"]["value"] == 3  # buyers 1, 2, 3: not 2 + 1
    assert week["uv"]["value"] == 5  # a, b, c, d, e: not 4 + 2
    assert week["gmv"]["value"] == 12000 and week["orders"]["value"] == 4
    assert week["gmv"]["change_prev"] == pytest.approx(2.0)  # ¥120 vs ¥40 (WEEK … PREV−6 holds WEEK)


def test_one_metric_computation_per_period(shop, known, monkeypatch):
    calls = []
    real = metric_layer.compute
    monkeypatch.setattr(alert_selectors, "compute", lambda *a, **kw: calls.append(kw) or real(*a, **kw))
    kpi_cards(shop=shop, end=DAY, days=1)
    assert len(calls) == 3
    calls.clear()
    kpi_cards(shop=shop, end=DAY, days=7)
    assert len(calls) == 2  # a week earlier is the previous period


def _card(html: str, key: str) -> str:
    match = re.search(rf'data-kpi="{key}-period">(.*?)</div>\s*</div>', html, re.S)
    assert match, key
    return match.group(1)


def test_dashboard_page_shows_the_cards(client_as, known):
    html = client_as("viewer").get("/", {"inline": "1", "date": DAY.isoformat()}).content.decode()
    assert "¥80.00" in _card(html, "gmv") and "▲100.0%" in _card(html, "gmv")
    assert "50.0%" in _card(html, "cvr") and "¥40.00" in _card(html, "aov")
    assert ">4<" in _card(html, "uv") and "▼20.0%" in _card(html, "uv")
    assert "¥5.00" in _card(html, "refund_amount") and 'class="flat na"' in _card(html, "refund_amount")
    assert 'data-kpi="gmv-30d"' in html and 'id="gmv-chart"' in html  # the rest of the dashboard is still there
    week = client_as("viewer").get("/", {"inline": "1", "date": DAY.isoformat(), "days": "7"}).content.decode()
    assert "¥120.00" in _card(week, "gmv") and ">3<" in _card(week, "buyers")
    odd = client_as("viewer").get("/", {"inline": "1", "date": DAY.isoformat(), "days": "evil"})
    assert odd.status_code == 200 and "¥80.00" in _card(odd.content.decode(), "gmv")


def test_dashboard_on_an_empty_shop(client_as, monkeypatch):
    empty = MemoryTables(get_engine(), {})
    monkeypatch.setattr(alert_selectors, "shop_tables", lambda shop: empty)
    response = client_as("operator").get("/", {"inline": "1", "date": DAY.isoformat(), "days": "30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "¥0.00" in _card(html, "gmv") and "—" in _card(html, "cvr") and "—" in _card(html, "aov")
    assert 'class="flat na"' in _card(html, "gmv")


def test_buyers_without_any_traffic_data_make_visitors_unknown_not_zero(shop, client_as, monkeypatch):
    """A shop fed only order exports: visitors are unknown (—, with a pointer to the traffic import), never a
    false 0 beside paying buyers; the demo-like data above keeps its visitors and shows no such note."""
    orders_only = small_shop(with_events=False)
    monkeypatch.setattr(alert_selectors, "shop_tables", lambda shop: orders_only)
    kpis = kpi_cards(shop=shop, end=DAY, days=1)
    cards = {c["key"]: c for c in kpis["cards"]}
    assert cards["uv"]["value"] is None and cards["cvr"]["value"] is None and kpis["visitors_unknown"]
    assert cards["buyers"]["value"] == 2 and cards["uv"]["change_prev"] is None
    html = client_as("operator").get("/", {"inline": "1", "date": DAY.isoformat()}).content.decode()
    assert "—" in _card(html, "uv") and 'id="visitors-unknown"' in html and "format=sycm-traffic" in html
    known_tables = small_shop()
    monkeypatch.setattr(alert_selectors, "shop_tables", lambda shop: known_tables)
    assert 'id="visitors-unknown"' not in client_as("operator").get("/", {"inline": "1", "date": DAY.isoformat()}).content.decode()
