"""The demo world simulator: determinism, money and reference invariants, realism of its shapes."""

from __future__ import annotations

import collections
import datetime as dt
import functools
import statistics

from shopops.channels.domain import CHANNEL_CODES
from shopops.core.clock import local_date, today
from shopops.demo.gen_catalog import ean13_check_digit, gbk_bytes
from shopops.demo.spec import World, WorldConfig
from shopops.demo.world import build_world, world_window

END = dt.date(2025, 12, 31)
REASONS = {"no_reason_7d", "quality", "size", "not_as_described", "wrong_item", "damaged", "changed_mind",
           "late"}
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@functools.cache
def year_world() -> World:
    return build_world(WorldConfig(seed=7, days=365, scale=0.3, end_date=END))


@functools.cache
def small_world() -> World:
    return build_world(WorldConfig(seed=42, days=60, scale=0.3, end_date=END))


def paid_date(order) -> dt.date:
    return local_date(order.paid_at, "Asia/Shanghai")


def test_same_config_gives_equal_world_and_another_seed_differs():
    config = WorldConfig(seed=42, days=60, scale=0.3, end_date=END)
    assert build_world(config) == small_world()
    other = build_world(WorldConfig(seed=43, days=60, scale=0.3, end_date=END))
    assert other.orders != small_world().orders
    assert [o.order_no for o in other.orders[:20]] != [o.order_no for o in small_world().orders[:20]]


def test_window_defaults_to_yesterday_in_shop_time_zone():
    start, end = world_window(WorldConfig(days=10))
    assert end == today("Asia/Shanghai") - dt.timedelta(days=1)
    assert (end - start).days == 9


def test_orders_scale_with_scale_and_days():
    base = len(small_world().orders)
    double = len(build_world(WorldConfig(seed=42, days=60, scale=0.6, end_date=END)).orders)
    assert 1.7 < double / base < 2.3
    assert len(year_world().orders) > 4 * base


def test_money_invariants():
    world = year_world()
    for order in world.orders:
        assert order.lines and 1 <= len(order.lines) <= 4
        discounts = [line.discount_fen for line in order.lines]
        assert all(isinstance(v, int) for v in (order.shipping_fen, *discounts))
        for line in order.lines:
            assert isinstance(line.unit_price_fen, int) and line.unit_price_fen > 0
            assert line.qty >= 1
            assert 0 <= line.discount_fen <= line.unit_price_fen * line.qty
        assert 0 <= order.discount_fen <= order.goods_fen
        assert order.shipping_fen >= 0
        assert order.paid_fen >= 0
        if order.discount_fen:
            assert order.promotions


def test_discounts_are_allocated_by_line_amount():
    world = year_world()
    checked = 0
    for order in world.orders:
        if order.discount_fen and len(order.lines) > 1:
            total = order.discount_fen
            for line in order.lines:
                exact = total * line.unit_price_fen * line.qty / order.goods_fen
                assert abs(line.discount_fen - exact) < 1
            checked += 1
    assert checked > 100


def test_campaign_prices_and_promotions():
    world = year_world()
    price = {s.sku_code: s.price_fen for s in world.skus}
    double11 = [o for o in world.orders if paid_date(o) == dt.date(2025, 11, 11)]
    assert all(line.unit_price_fen < price[line.sku_code] for o in double11 for line in o.lines)
    assert any("双11 跨店每满300减50" in o.promotions for o in double11)
    ordinary = [o for o in world.orders if paid_date(o) == dt.date(2025, 9, 3)]
    assert all(line.unit_price_fen == price[line.sku_code] for o in ordinary for line in o.lines)


def test_unique_codes_and_valid_barcodes():
    world = year_world()
    for codes in ([p.spu_code for p in world.products], [s.sku_code for s in world.skus],
                  [c.code for c in world.customers], [s.barcode for s in world.skus],
                  [r.refund_no for r in world.refunds]):
        assert len(codes) == len(set(codes))
    for sku in world.skus:
        assert len(sku.barcode) == 13 and sku.barcode.isdigit() and sku.barcode.startswith("69")
        assert int(sku.barcode[-1]) == ean13_check_digit(sku.barcode[:12])
    by_channel = collections.defaultdict(set)
    for order in world.orders:
        assert order.order_no not in by_channel[order.channel]
        by_channel[order.channel].add(order.order_no)
    identities = collections.defaultdict(set)
    for customer in world.customers:
        channels = [c for c, _ in customer.identities]
        assert len(channels) == len(set(channels)) >= 1
        for channel, external_id in customer.identities:
            assert external_id not in identities[channel]
            identities[channel].add(external_id)


def test_platform_shaped_order_numbers():
    world = small_world()
    for order in world.orders:
        if order.channel == "tmall":
            assert len(order.order_no) == 19 and order.order_no.isdigit()
        elif order.channel == "jd":
            assert len(order.order_no) == 12 and order.order_no.isdigit()
        elif order.channel == "douyin":
            assert len(order.order_no) == 19 and order.order_no.startswith("6")
        elif order.channel == "pdd":
            stamp, number = order.order_no.split("-")
            assert len(stamp) == 6 and len(number) == 15


def test_references_and_channel_codes():
    world = year_world()
    customers = {c.code: c for c in world.customers}
    skus = {s.sku_code: s for s in world.skus}
    spus = {p.spu_code for p in world.products}
    categories = {c.code for c in world.categories}
    assert 6 <= len(categories) <= 10
    assert len(world.channels) >= 6
    assert {c.code for c in world.channels} <= set(CHANNEL_CODES)
    assert abs(sum(c.share for c in world.channels) - 1) < 0.01
    assert all(s.spu_code in spus for s in world.skus)
    assert all(p.category_code in categories for p in world.products)
    for order in world.orders:
        assert order.channel in CHANNEL_CODES
        customer = customers[order.customer_code]
        assert order.channel in {c for c, _ in customer.identities}
        assert (order.province, order.city) == (customer.province, customer.city)
        assert all(line.sku_code in skus for line in order.lines)
    for row in world.traffic:
        assert row.channel in CHANNEL_CODES
    for product in world.products:
        assert all(listing.channel in CHANNEL_CODES for listing in product.listings)


def test_times_are_aware_utc_and_inside_the_window():
    world = year_world()
    first = {}
    for order in world.orders:
        assert order.placed_at.utcoffset() == dt.timedelta(0)
        assert order.placed_at <= order.paid_at <= order.placed_at + dt.timedelta(minutes=30)
        assert world.start_date <= paid_date(order) <= world.end_date
        first.setdefault(order.customer_code, order.placed_at)
    assert [o.paid_at for o in world.orders] == sorted(o.paid_at for o in world.orders)
    for customer in world.customers:
        assert customer.created_at == first[customer.code]
        assert "****" in customer.phone_masked and len(customer.phone_masked) == 11


def test_statuses_follow_age():
    world = year_world()
    counts = collections.Counter(o.status for o in world.orders)
    assert set(counts) <= {"paid", "shipped", "completed", "closed"}
    assert counts["completed"] > 0.9 * len(world.orders)
    assert 0 < counts["closed"] < 0.05 * len(world.orders)
    recent = [o for o in world.orders if paid_date(o) == world.end_date]
    assert recent and all(o.status in ("paid", "shipped", "closed") for o in recent)
    old = [o for o in world.orders if (world.end_date - paid_date(o)).days > 30]
    assert all(o.status in ("completed", "closed") for o in old)


def test_refunds():
    world = year_world()
    orders = {(o.channel, o.order_no): o for o in world.orders}
    end = dt.datetime.combine(world.end_date + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    assert 0.04 <= len(world.refunds) / len(world.orders) <= 0.08
    refunded = collections.Counter()
    for refund in world.refunds:
        order = orders[(refund.channel, refund.order_no)]
        assert refund.reason in REASONS
        assert refund.kind in ("refund_only", "return_refund")
        if refund.line_index is None:
            assert 0 < refund.amount_fen <= order.paid_fen
        else:
            line = order.lines[refund.line_index]
            assert 0 < refund.amount_fen <= line.unit_price_fen * line.qty - line.discount_fen
        assert order.paid_at <= refund.requested_at <= order.paid_at + dt.timedelta(days=14)
        assert refund.requested_at < end
        if refund.status == "pending":
            assert refund.completed_at is None
            assert refund.requested_at > end - dt.timedelta(days=10)
        else:
            assert refund.status in ("success", "rejected", "closed")
            assert refund.requested_at <= refund.completed_at < end
        if refund.status == "success":
            refunded[(refund.channel, refund.order_no)] += refund.amount_fen
    assert all(amount <= orders[key].paid_fen for key, amount in refunded.items())
    statuses = collections.Counter(r.status for r in world.refunds)
    assert statuses["success"] > 0.75 * len(world.refunds)
    closed = [o for o in world.orders if o.status == "closed"]
    whole = {(r.channel, r.order_no) for r in world.refunds if r.line_index is None and r.status == "success"}
    assert all((o.channel, o.order_no) in whole for o in closed)


def test_double11_and_weekly_seasonality():
    world = year_world()
    gmv = collections.Counter()
    count = collections.Counter()
    for order in world.orders:
        gmv[paid_date(order)] += order.paid_fen
        count[paid_date(order)] += 1
    assert gmv[dt.date(2025, 11, 11)] >= 3 * statistics.median(gmv.values())
    assert gmv[dt.date(2025, 6, 18)] >= 2 * statistics.median(gmv.values())
    campaign = {c.date for c in world.campaign_days}
    by_weekday = collections.defaultdict(list)
    for day, n in count.items():
        if day not in campaign:
            by_weekday[day.weekday()].append(n)
    means = {k: statistics.mean(v) for k, v in by_weekday.items()}
    assert means[6] > 1.1 * means[4]  # Sunday beats Friday
    assert max(means.values()) / min(means.values()) > 1.1


def test_intraday_curve_and_midnight_spike():
    world = year_world()
    tz = dt.timezone(dt.timedelta(hours=8))
    ordinary = collections.Counter(o.paid_at.astimezone(tz).hour for o in world.orders
                                   if paid_date(o) not in {c.date for c in world.campaign_days})
    assert ordinary[21] > 5 * ordinary[4]
    peak = [o for o in world.orders if paid_date(o) == dt.date(2025, 11, 11)]
    midnight = sum(1 for o in peak if o.paid_at.astimezone(tz).hour == 0)
    assert midnight > 0.15 * len(peak)


def test_calendar():
    world = year_world()
    names = collections.defaultdict(list)
    for day in world.campaign_days:
        names[day.name].append(day)
    assert {"618", "双11", "双12", "年货节", "38节", "会员日"} <= set(names)
    strongest = max(world.campaign_days, key=lambda c: c.intensity)
    assert strongest.date == dt.date(2025, 11, 11) and strongest.name == "双11"
    assert min(d.date for d in names["双11"]) == dt.date(2025, 10, 20)
    assert all(d.date < dt.date(2025, 1, 29) for d in names["年货节"])  # 春节 2025
    assert all(d.date.day == 16 for d in names["会员日"])


def test_buy_till_you_die_shape():
    world = year_world()
    per_customer = collections.Counter(o.customer_code for o in world.orders)
    repeaters = [code for code, n in per_customer.items() if n >= 2]
    assert 0.05 < len(repeaters) / len(per_customer) < 0.5
    repeat_orders = len(world.orders) - len(per_customer)
    assert 0.15 <= repeat_orders / len(world.orders) <= 0.45
    assert max(per_customer.values()) >= 5
    last = {}
    for order in world.orders:
        last[order.customer_code] = paid_date(order)
    silent = [c for c in repeaters if (world.end_date - last[c]).days > 90]
    assert len(silent) > 0.2 * len(repeaters)
    multi_channel = sum(1 for c in world.customers if len(c.identities) > 1)
    assert 0 < multi_channel < 0.3 * len(repeaters) + 1


def test_traffic_matches_orders():
    world = year_world()
    buyers = collections.defaultdict(set)
    paid = collections.Counter()
    for order in world.orders:
        key = (paid_date(order), order.channel, order.source)
        buyers[key].add(order.customer_code)
        paid[key] += order.paid_fen
    rows = {(r.date, r.channel, r.source): r for r in world.traffic}
    assert len(rows) == len(world.traffic)
    assert set(buyers) <= set(rows)
    for key, row in rows.items():
        assert row.buyers == len(buyers.get(key, ()))
        assert row.paid_fen == paid.get(key, 0)
        assert row.pv >= row.uv >= row.buyers
    by_day_channel = collections.Counter()
    for row in world.traffic:
        by_day_channel[(row.date, row.channel)] += row.paid_fen
    assert sum(by_day_channel.values()) == sum(o.paid_fen for o in world.orders)
    assert {r.source for r in world.traffic if r.channel == "wecom"} == {"private"}


def test_catalog_realism():
    world = year_world()
    assert len(world.products) >= 45 and len(world.skus) >= 160
    launched_inside = [p for p in world.products if p.launched_on >= world.start_date]
    assert len(launched_inside) >= 3
    for sku in world.skus:
        assert 3_900 <= sku.price_fen <= 59_900
        assert 0.2 * sku.price_fen <= sku.cost_fen <= 0.45 * sku.price_fen
        assert sku.attributes
    for product in world.products:
        assert product.description and product.listings
        titles = {listing.channel: listing.title for listing in product.listings}
        fits = {listing.channel: "too-long" not in listing.flaws for listing in product.listings}
        assert gbk_bytes(titles["tmall"]) <= 60 or not fits["tmall"]  # over-long only where planted
        if "douyin" in titles:
            assert len(titles["douyin"]) <= 30 or not fits["douyin"]
        assert len(set(titles.values())) == len(titles)


def test_default_world_is_big_enough():
    world = build_world(WorldConfig())
    assert len(world.orders) >= 50_000
    assert len(world.products) >= 40 and len(world.skus) >= 150
