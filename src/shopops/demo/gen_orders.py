"""Orders (订单): when buyers pay, what is in the basket, what they pay after promotions and shipping.

* Timing: payments follow the intraday curve of Chinese shopping apps (quiet at dawn, lunch bump, evening peak
  20:00–23:00, stronger for Douyin live); 双11/618/双12 peak days spike at midnight, wave-start days at 20:00
  (docs/rules/campaigns.md#platform-calendar). An order is placed a few seconds to minutes before it is paid.
* Baskets: 1–4 lines, the first by product popularity on that channel and day (season, launches), the rest
  from co-purchased categories (共购); quantity mostly 1, more on campaign days (囤货). A PDD order holds one
  SKU (its export has one row per order).
* Prices: list price, or the campaign's single-item price (单品级) on campaign days; then order-level 平台级 跨店满减,
  shop coupons (店铺券) and 会员日 coupons in the stacking order of docs/rules/pricing.md#stacking-order. The order
  discount is spread over lines by largest remainder weighted by line amount
  (docs/rules/pricing.md#allocation-of-order-level-discounts, ``core.money.allocate``).
* Shipping: 包邮 by default; JD and the own site charge under ¥99, 偏远地区 pay under ¥299.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.core.money import allocate
from shopops.demo import gen_ids
from shopops.demo.gen_calendar import (
    DAY_EVENING_WAVE,
    DAY_MIDNIGHT_PEAK,
    DAY_NORMAL,
    Calendar,
    DayPromo,
    PromoRule,
)
from shopops.demo.gen_catalog import Catalog, sku_day_weights
from shopops.demo.gen_channels import CHANNEL_PLANS
from shopops.demo.gen_clock import DAY, LocalClock
from shopops.demo.gen_customers import Purchases
from shopops.demo.gen_random import segment_choice
from shopops.demo.gen_traffic import TrafficPlan
from shopops.demo.spec import LineSpec, OrderSpec

MARKETPLACES = frozenset({"tmall", "taobao", "jd", "douyin", "pdd", "xiaohongshu"})
# Share of payments per local hour on an ordinary day (0:00 … 23:00).
HOURLY = np.array([3.0, 1.6, 0.8, 0.45, 0.3, 0.3, 0.6, 1.3, 2.4, 3.6, 4.6, 4.8,
                   5.0, 5.0, 4.8, 4.7, 4.6, 4.5, 4.6, 5.6, 7.2, 8.6, 8.4, 6.0])
LIVE_EVENING = np.array([1.0] * 19 + [1.3, 1.6, 1.7, 1.5, 1.2])  # Douyin live rooms peak 20:00–23:00
LINE_COUNT_P = np.array([[0.64, 0.25, 0.08, 0.03],  # ordinary day
                         [0.48, 0.30, 0.14, 0.08],  # big campaign day (凑单 to reach 满减)
                         [0.80, 0.15, 0.04, 0.01]])  # live / content channels: one item per order
QTY_P = np.array([[0.86, 0.10, 0.03, 0.01], [0.75, 0.17, 0.05, 0.03]])
BIG_CAMPAIGN = 1.4  # intensity from which buyers fill baskets
COUPON_TAKE_MEMBER = 0.8
PAY_DELAY_MEDIAN_S = 40.0


@dataclass(slots=True)
class OrderTable:
    """All orders of the window as arrays, sorted by payment time; lines are contiguous per order."""

    day: np.ndarray
    paid_sec: np.ndarray  # local seconds since the window start
    placed_sec: np.ndarray
    channel: np.ndarray  # channel index (CHANNEL_PLANS)
    cell: np.ndarray  # traffic cell
    customer: np.ndarray  # customer index (Purchases numbering)
    repeat: np.ndarray
    big_campaign: np.ndarray
    goods: np.ndarray
    discount: np.ndarray
    shipping: np.ndarray
    labels: list[tuple[str, ...]]
    line_start: np.ndarray  # [n + 1]
    line_sku: np.ndarray
    line_qty: np.ndarray
    line_unit: np.ndarray
    line_discount: np.ndarray
    status: list[str]
    order_no: list[str]

    @property
    def paid(self) -> np.ndarray:
        return self.goods - self.discount + self.shipping

    @property
    def line_order(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.day)), np.diff(self.line_start))

    @property
    def line_paid(self) -> np.ndarray:
        return self.line_unit * self.line_qty - self.line_discount


def _hour_curves() -> np.ndarray:
    """Rows: day kind × (other, Douyin)."""
    rows = []
    for kind in (DAY_NORMAL, DAY_MIDNIGHT_PEAK, DAY_EVENING_WAVE):
        curve = HOURLY.copy()
        if kind == DAY_MIDNIGHT_PEAK:
            curve[0] *= 12.0
            curve[1] *= 4.0
            curve[2] *= 2.0
        elif kind == DAY_EVENING_WAVE:
            curve[20] *= 5.0
            curve[21] *= 2.5
        rows += [curve, curve * LIVE_EVENING]
    return np.array(rows)


def _campaign_price(price: np.ndarray, percent: np.ndarray) -> np.ndarray:
    """单品级 campaign price: the discounted price rounded down to the yuan, minus 0.10 (e.g. ¥219.90)."""
    discounted = (price * percent // 10_000) * 100 - 10
    return np.where(percent < 100, np.maximum(discounted, 90), price)


def _rule_arrays(rules: list[PromoRule | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    threshold = np.array([r.threshold_fen if r else 0 for r in rules], dtype=np.int64)
    off = np.array([r.off_fen if r else 0 for r in rules], dtype=np.int64)
    each = np.array([bool(r and r.per_each) for r in rules])
    return threshold, off, each


def _rule_discount(goods: np.ndarray, threshold: np.ndarray, off: np.ndarray, each: np.ndarray) -> np.ndarray:
    hit = (threshold > 0) & (goods >= threshold)
    times = np.where(each, goods // np.maximum(threshold, 1), 1)
    return np.where(hit, off * times, 0)


@dataclass(slots=True)
class _Paid:
    """The window's purchases in payment-time order, with when each was placed and paid (local seconds)."""

    day: np.ndarray
    channel: np.ndarray
    cell: np.ndarray
    customer: np.ndarray
    repeat: np.ndarray
    paid_sec: np.ndarray
    placed_sec: np.ndarray
    big: np.ndarray  # paid on a big campaign day


@dataclass(slots=True)
class _Lines:
    """Basket lines of every order, contiguous per order (``start`` has n + 1 entries)."""

    order: np.ndarray
    sku: np.ndarray
    qty: np.ndarray
    start: np.ndarray


@dataclass(slots=True)
class _Money:
    """What each order costs: line units and amounts, goods, the day's promotion index and the discounts."""

    unit: np.ndarray
    amount: np.ndarray
    goods: np.ndarray
    promo: np.ndarray
    platform: np.ndarray
    coupon: np.ndarray
    member: np.ndarray
    discount: np.ndarray


def build_orders(
    rng: np.random.Generator,
    purchases: Purchases,
    calendar: Calendar,
    catalog: Catalog,
    plan: TrafficPlan,
    customer_remote: np.ndarray,
    clock: LocalClock,
) -> OrderTable:
    """The window's orders from the simulated purchases. The steps draw from ``rng`` in a fixed order (time,
    basket, discounts, shipping, status, order numbers): the same seed gives the same shop."""
    n = len(purchases.day)
    if n == 0:
        return _empty_table()
    codes = [p.code for p in CHANNEL_PLANS]
    cell_channel = np.array([c for c, _ in plan.cells])
    paid = _pay_times(rng, purchases, calendar, cell_channel[purchases.cell], codes)
    lines = _basket_lines(rng, catalog, calendar, paid, codes)
    plans, day_promo = _window_promos(calendar)
    money = _order_money(rng, catalog, plans, day_promo[paid.day], paid, lines, codes)
    shipping = _shipping(rng, money.goods - money.discount, customer_remote[paid.customer], paid.channel, codes)
    labels = _promotion_labels(plans, money)
    line_discount = _line_discounts(money.discount, money.amount, lines.start)
    status = _statuses(rng, clock.end_seconds - paid.paid_sec)
    order_no = _order_numbers(rng, clock, paid.channel, paid.placed_sec, codes)
    return OrderTable(day=paid.day, paid_sec=paid.paid_sec, placed_sec=paid.placed_sec, channel=paid.channel,
                      cell=paid.cell, customer=paid.customer, repeat=paid.repeat, big_campaign=paid.big,
                      goods=money.goods, discount=money.discount, shipping=shipping, labels=labels,
                      line_start=lines.start, line_sku=lines.sku, line_qty=lines.qty, line_unit=money.unit,
                      line_discount=line_discount, status=status, order_no=order_no)


def _pay_times(
    rng: np.random.Generator, purchases: Purchases, calendar: Calendar, channel: np.ndarray, codes: list[str]
) -> _Paid:
    """When each purchase is paid: an hour from the day kind's curve (Douyin peaks in the evening), a second
    within it, then everything sorted by payment time; placed a lognormal few seconds to minutes earlier."""
    n = len(purchases.day)
    douyin = (channel == codes.index("douyin")) if "douyin" in codes else np.zeros(n, dtype=bool)
    hour = segment_choice(rng, _hour_curves(), calendar.day_kind[purchases.day] * 2 + douyin)
    sec = hour * 3600 + rng.integers(0, 3600, n)
    order = np.lexsort((np.arange(n), sec, purchases.day))
    day, sec, channel = purchases.day[order], sec[order], channel[order]
    paid_sec = day * DAY + sec
    delay = np.clip(np.rint(rng.lognormal(np.log(PAY_DELAY_MEDIAN_S), 1.0, n)), 3, 1800).astype(np.int64)
    return _Paid(day=day, channel=channel, cell=purchases.cell[order], customer=purchases.customer[order],
                 repeat=purchases.repeat[order], paid_sec=paid_sec, placed_sec=paid_sec - delay,
                 big=calendar.intensity[day] >= BIG_CAMPAIGN)


def _line_starts(line_order: np.ndarray, n: int) -> np.ndarray:
    """Offsets of each order's first line (n + 1 entries) from the lines' order numbers (sorted)."""
    return np.concatenate(([0], np.cumsum(np.bincount(line_order, minlength=n))))


def _basket_lines(
    rng: np.random.Generator, catalog: Catalog, calendar: Calendar, paid: _Paid, codes: list[str]
) -> _Lines:
    """1–4 lines per order (more on big campaign days, fewer on live / content channels), one line per SKU,
    a quantity per line; a PDD order keeps its first line only."""
    n = len(paid.day)
    live_like = np.isin(paid.channel, [codes.index(c) for c in ("douyin", "xiaohongshu") if c in codes])
    n_lines = segment_choice(rng, LINE_COUNT_P, np.where(live_like, 2, np.where(paid.big, 1, 0))) + 1
    line_order, sku = _pick_skus(rng, catalog, calendar, paid, n_lines)
    # one line per SKU: a repeated pick is simply dropped
    _, keep_idx = np.unique(line_order * len(catalog.skus) + sku, return_index=True)
    keep = np.zeros(len(sku), dtype=bool)
    keep[keep_idx] = True
    line_order, sku = line_order[keep], sku[keep]
    line_start = _line_starts(line_order, n)
    qty = segment_choice(rng, QTY_P, paid.big[line_order].astype(np.int64)) + 1
    if "pdd" in codes:
        # A PDD order holds one SKU (拼单 is per item; the pdd-orders export has one row per order): a PDD
        # basket keeps its first line. Dropped after the draws, so every other channel's orders stay the same.
        head = np.arange(len(line_order)) == line_start[:-1][line_order]
        single = head | (paid.channel[line_order] != codes.index("pdd"))
        line_order, sku, qty = line_order[single], sku[single], qty[single]
        line_start = _line_starts(line_order, n)
    return _Lines(order=line_order, sku=sku, qty=qty, start=line_start)


def _pick_skus(
    rng: np.random.Generator, catalog: Catalog, calendar: Calendar, paid: _Paid, n_lines: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(line → order, line → SKU): the first line by the SKU's popularity on that channel and day, the others
    from a category co-purchased with the first line's (共购), by popularity within it; a category with
    nothing on sale that day falls back to any SKU."""
    n_days, n_ch = len(calendar.dates), len(CHANNEL_PLANS)
    line_order = np.repeat(np.arange(len(paid.day)), n_lines)
    starts = np.concatenate(([0], np.cumsum(n_lines)[:-1]))
    first = np.zeros(len(line_order), dtype=bool)
    first[starts] = True
    weights = sku_day_weights(catalog, calendar.month).reshape(n_days * n_ch, -1)
    row = paid.day[line_order] * n_ch + paid.channel[line_order]
    sku = np.empty(len(line_order), dtype=np.int64)
    sku[first] = segment_choice(rng, weights, row[first])
    rest = np.flatnonzero(~first)
    cat = segment_choice(rng, catalog.category_related, catalog.sku_category[sku[starts[line_order[rest]]]])
    bounds = catalog.category_bounds
    sku[rest] = segment_choice(rng, weights, row[rest], bounds[cat], bounds[cat + 1])
    missing = rest[sku[rest] < 0]
    sku[missing] = segment_choice(rng, weights, row[missing])
    return line_order, sku


def _window_promos(calendar: Calendar) -> tuple[list[DayPromo], np.ndarray]:
    """(the distinct promotion plans of the window in first-seen order, each day's index into them)."""
    promo_ids: dict[DayPromo, int] = {}
    day_promo = np.array([promo_ids.setdefault(p, len(promo_ids)) for p in calendar.promos])
    return list(promo_ids), day_promo


def _order_money(
    rng: np.random.Generator, catalog: Catalog, plans: list[DayPromo], promo: np.ndarray, paid: _Paid,
    lines: _Lines, codes: list[str],
) -> _Money:
    """Single-item price (单品级) per line, then the order-level offers in the stacking order of
    docs/rules/pricing.md#stacking-order: 平台级 跨店满减 on marketplaces, 会员日 coupons taken by most repeat
    buyers, else a shop coupon (店铺券) by the day's take rate; never more than the goods. ``promo`` is each
    order's index into ``plans``."""
    n = len(paid.day)
    percent = np.array([round(p.price_factor * 100) for p in plans])[promo]
    unit = _campaign_price(catalog.sku_price[lines.sku], percent[lines.order])
    amount = unit * lines.qty
    goods = np.add.reduceat(amount, lines.start[:-1])
    marketplace = np.isin(paid.channel, [i for i, c in enumerate(codes) if c in MARKETPLACES])
    platform = _rule_discount(goods, *(a[promo] for a in _rule_arrays([p.platform_rule for p in plans])))
    platform = np.where(marketplace, platform, 0)
    member = _rule_discount(goods, *(a[promo] for a in _rule_arrays([p.member_rule for p in plans])))
    member = np.where(paid.repeat & (rng.random(n) < COUPON_TAKE_MEMBER), member, 0)
    coupon = _rule_discount(goods, *(a[promo] for a in _rule_arrays([p.coupon_rule for p in plans])))
    take = np.array([p.coupon_take for p in plans])[promo]
    coupon = np.where((member == 0) & (rng.random(n) < take), coupon, 0)
    discount = np.minimum(platform + coupon + member, goods)
    return _Money(unit=unit, amount=amount, goods=goods, promo=promo, platform=platform, coupon=coupon,
                  member=member, discount=discount)


def _shipping(
    rng: np.random.Generator, after: np.ndarray, remote: np.ndarray, channel: np.ndarray, codes: list[str]
) -> np.ndarray:
    """Postage in fen on what the buyer pays for the goods: 包邮 by default; JD and the own site often charge
    under ¥99, WeCom orders sometimes, and 偏远地区 pay under ¥299 (the last rule wins)."""
    n = len(after)
    charges = np.isin(channel, [i for i, c in enumerate(codes) if c in ("jd", "own-site")])
    wecom = channel == codes.index("wecom") if "wecom" in codes else np.zeros(n, dtype=bool)
    shipping = np.zeros(n, dtype=np.int64)
    shipping = np.where(charges & (after < 9_900) & (rng.random(n) < 0.7), 600, shipping)
    shipping = np.where(wecom & (after < 9_900) & (rng.random(n) < 0.5), 800, shipping)
    return np.where(remote & (after < 29_900) & (rng.random(n) < 0.8), 1_000, shipping)


def _promotion_labels(plans: list[DayPromo], money: _Money) -> list[tuple[str, ...]]:
    """Per order, the labels of what was applied (the price label of the day, then the platform, coupon and
    member offers that took money off), as platform exports list them."""
    price_label = [p.price_label for p in plans]
    rule_labels = [(p.platform_rule.label if p.platform_rule else "", p.coupon_rule.label,
                    p.member_rule.label if p.member_rule else "") for p in plans]
    labels = []
    flags = zip(money.promo.tolist(), money.platform.tolist(), money.coupon.tolist(), money.member.tolist(),
                strict=True)
    for pr, pc, po, pm in flags:
        applied = [price_label[pr]] if price_label[pr] else []
        plat_label, coupon_label, member_label = rule_labels[pr]
        if pc:
            applied.append(plat_label)
        if po:
            applied.append(coupon_label)
        if pm:
            applied.append(member_label)
        labels.append(tuple(applied))
    return labels


def _line_discounts(discount: np.ndarray, amount: np.ndarray, line_start: np.ndarray) -> np.ndarray:
    """Each order's discount spread over its lines by largest remainder weighted by line amount
    (docs/rules/pricing.md#allocation-of-order-level-discounts)."""
    line_discount = np.zeros(len(amount), dtype=np.int64)
    amount_list = amount.tolist()
    for i in np.flatnonzero(discount > 0).tolist():
        s, e = int(line_start[i]), int(line_start[i + 1])
        line_discount[s:e] = allocate(int(discount[i]), amount_list[s:e])
    return line_discount


def _order_numbers(
    rng: np.random.Generator, clock: LocalClock, channel: np.ndarray, placed_sec: np.ndarray, codes: list[str]
) -> list[str]:
    """Platform-shaped order numbers, drawn channel by channel (in CHANNEL_PLANS order) from the local date
    the order was placed."""
    order_no = [""] * len(channel)
    placed_dates = clock.local_dates(placed_sec.tolist())
    for c, code in enumerate(codes):
        idx = np.flatnonzero(channel == c).tolist()
        numbers = gen_ids.order_numbers(rng, code, [placed_dates[i] for i in idx])
        for i, number in zip(idx, numbers, strict=True):
            order_no[i] = number
    return order_no


def _empty_table() -> OrderTable:
    ints = np.zeros(0, dtype=np.int64)
    return OrderTable(day=ints, paid_sec=ints, placed_sec=ints, channel=ints, cell=ints, customer=ints,
                      repeat=np.zeros(0, dtype=bool), big_campaign=np.zeros(0, dtype=bool), goods=ints,
                      discount=ints, shipping=ints, labels=[], line_start=np.zeros(1, dtype=np.int64),
                      line_sku=ints, line_qty=ints, line_unit=ints, line_discount=ints, status=[],
                      order_no=[])


def _statuses(rng: np.random.Generator, age_sec: np.ndarray) -> list[str]:
    """Fulfilment state at the end of the window: paid → shipped within a day or two → completed when the
    buyer confirms or the platform auto-confirms (about 10 days after shipping)."""
    age = age_sec / DAY
    u = rng.random(len(age))
    status = np.where(age < 1, np.where(u < 0.85, "paid", "shipped"),
                      np.where(age < 2, np.where(u < 0.25, "paid", "shipped"),
                               np.where(age < 10, np.where(u < (age - 2) / 8, "completed", "shipped"),
                                        np.where((age < 20) & (u < 0.03), "shipped", "completed"))))
    return status.tolist()


def order_specs(
    table: OrderTable,
    catalog: Catalog,
    plan: TrafficPlan,
    clock: LocalClock,
    customer_code: list[str],
    customer_place: list[tuple[str, str]],
) -> list[OrderSpec]:
    """Freeze the table into OrderSpecs (customer arrays indexed by the table's customer numbering)."""
    paid_at = clock.to_utc(table.paid_sec.tolist())
    placed_at = clock.to_utc(table.placed_sec.tolist())
    sku_code = [s.sku_code for s in catalog.skus]
    sku_product = catalog.sku_product.tolist()
    sources = [src for _, src in plan.cells]
    codes = [p.code for p in CHANNEL_PLANS]
    lines = [
        LineSpec(sku_code=sku_code[s], title=catalog.line_titles[c][sku_product[s]], qty=q, unit_price_fen=u,
                 discount_fen=d)
        for s, c, q, u, d in zip(table.line_sku.tolist(), table.channel[table.line_order].tolist(),
                                 table.line_qty.tolist(), table.line_unit.tolist(),
                                 table.line_discount.tolist(), strict=True)
    ]
    starts = table.line_start.tolist()
    specs = []
    for i, (c, cust, cell, ship) in enumerate(zip(table.channel.tolist(), table.customer.tolist(),
                                                  table.cell.tolist(), table.shipping.tolist(), strict=True)):
        province, city = customer_place[cust]
        specs.append(OrderSpec(
            order_no=table.order_no[i], channel=codes[c], customer_code=customer_code[cust],
            placed_at=placed_at[i], paid_at=paid_at[i], status=table.status[i],
            lines=tuple(lines[starts[i]:starts[i + 1]]), shipping_fen=ship, promotions=table.labels[i],
            source=sources[cell], province=province, city=city))
    return specs
