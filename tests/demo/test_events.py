"""The demo's own-site behaviour log is consistent with its orders and has the shapes the
analytics pages need: buying sessions ending in the orders' buys, a narrowing funnel, sessions split by 30
idle minutes, and 双11 lifting traffic and conversion (docs/rules/analytics.md#sessions,
docs/rules/analytics.md#funnels)."""

from __future__ import annotations

import collections
import datetime as dt
import functools
import statistics

from shopops.core.clock import local_date
from shopops.demo.gen_events import HEADER, IDLE_GAP_S, build_events, write_events_csv
from shopops.demo.spec import WorldConfig
from shopops.demo.world import build_world

TZ = "Asia/Shanghai"


@functools.cache
def world():
    # 双11 2026 inside the window, with ordinary days around it
    return build_world(WorldConfig(seed=11, days=45, scale=0.6, end_date=dt.date(2026, 11, 30)))


@functools.cache
def log():
    return build_events(world())


def test_the_log_is_deterministic():
    assert build_events(world()).rows == log().rows


def test_every_own_site_order_is_bought_at_its_payment_time_after_views_in_the_same_session():
    w = world()
    own_id = {c.code: dict(c.identities)["own-site"] for c in w.customers if "own-site" in dict(c.identities)}
    buys = collections.defaultdict(list)
    by_session = collections.defaultdict(list)
    for row in log().rows:
        by_session[row[7]].append(row)
        if row[4] == "buy":
            buys[(row[1], row[0])].append(row)
    orders = [o for o in w.orders if o.channel == "own-site"]
    assert len(orders) > 100
    carted = 0
    for order in orders:
        found = buys[(own_id[order.customer_code], order.paid_at)]
        assert sorted(r[5] for r in found) >= sorted(line.sku_code for line in order.lines)
        session = by_session[found[0][7]]
        before = [r for r in session if r[0] < order.paid_at]
        assert {line.sku_code for line in order.lines} <= {r[5] for r in before if r[4] == "pv"}
        carted += any(r[4] == "cart" for r in before)
        assert {r[6] for r in session} == {order.source}
        prices = {r[5]: r[8] for r in found}
        for line in order.lines:
            assert prices[line.sku_code] == f"{line.unit_price_fen // 100}.{line.unit_price_fen % 100:02d}"
    assert carted > len(orders) / 2  # often carted first
    assert sum(len(v) for v in buys.values()) == sum(len(o.lines) for o in orders)  # no buy without an order


def test_sessions_have_no_idle_gap_and_the_same_user_comes_back_after_one():
    by_session = collections.defaultdict(list)
    for row in log().rows:
        by_session[row[7]].append(row)
    for rows in by_session.values():
        assert len({r[1] for r in rows}) == 1
        stamps = sorted(r[0] for r in rows)
        assert all((b - a).total_seconds() < IDLE_GAP_S for a, b in zip(stamps, stamps[1:], strict=False))
    sessions_per_user = collections.Counter(rows[0][1] for rows in by_session.values())
    assert sum(1 for n in sessions_per_user.values() if n > 1) > 0.05 * len(sessions_per_user)


def test_the_funnel_narrows_and_all_behaviours_and_sources_appear():
    people = collections.defaultdict(set)
    for row in log().rows:
        people[row[4]].add(row[1])
    assert len(people["pv"]) > 5 * len(people["cart"]) and len(people["cart"]) > len(people["buy"]) > 0
    assert people["fav"]
    counts = collections.Counter(row[4] for row in log().rows)
    assert counts["pv"] > 10 * counts["cart"]
    assert {row[6] for row in log().rows} == {t.source for t in world().traffic if t.channel == "own-site"}
    one_page = collections.Counter(row[7] for row in log().rows if row[4] == "pv")
    bounce = sum(1 for n in one_page.values() if n == 1) / len(one_page)
    assert 0.1 < bounce < 0.6


def test_double11_lifts_visitors_and_conversion():
    daily_users = collections.defaultdict(set)
    daily_buyers = collections.defaultdict(set)
    for row in log().rows:
        day = local_date(row[0], TZ)
        daily_users[day].add(row[1])
        if row[4] == "buy":
            daily_buyers[day].add(row[1])
    campaign = {c.date for c in world().campaign_days}
    ordinary = [d for d in daily_users if d not in campaign and d.month in (10, 11)]
    d11 = dt.date(2026, 11, 11)
    assert len(daily_users[d11]) > 1.5 * statistics.median(len(daily_users[d]) for d in ordinary)
    cvr = {d: len(daily_buyers[d]) / len(daily_users[d]) for d in daily_users}
    assert cvr[d11] > statistics.median(cvr[d] for d in ordinary)


def test_the_csv_has_the_events_header_and_local_times(tmp_path):
    path = tmp_path / "events.csv"
    assert write_events_csv(log(), path, TZ) == len(log().rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert tuple(lines[0].split(",")) == HEADER
    first = log().rows[0]
    assert lines[1].split(",")[0] == first[0].astimezone(dt.timezone(dt.timedelta(hours=8))).strftime(
        "%Y-%m-%d %H:%M:%S")
