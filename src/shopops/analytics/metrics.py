"""The metric layer: one definition of every shop metric, computed with Ibis on DuckDB or Spark alike.

Definitions follow the platforms (docs/rules/metrics.md):

* 访客数 UV, 支付买家数, 加购人数, 收藏人数 are **distinct counts**: never summed across days, channels or
  sources — every row and the total are recomputed from the underlying rows ("all-terminal UV = de-dup of PC +
  mobile, not the sum"; Cube: non-additive measures only roll up to the exact same dimensions).
* 支付金额 GMV = money paid incl. postage; **refunds are not deducted** (haomu.top, 生意参谋 指标解释).
* 跳失率 = visitors with exactly one page view / visitors, per day; over several days the **mean of the daily
  rates** (plasticfilm.com.cn quoting 生意参谋). Our log has no reliable entry/visit marker, so a "visitor" is a
  user with ≥ 1 pv that day in the row's slice, and one-page visitors are those with exactly one pv there.
* 退款率 = 近30天成功退款笔数 / 近30天子订单数, a 30-day window ending on the row's last day (maijiaw.com).
  The lake keeps refunds per order (``orders_fact.refunded_fen``) without a refund date, so the window is by
  payment date; a fully refunded order counts all its sub-orders (lines) as refunded, a partly refunded one
  counts one sub-order (exact for one-line orders and for full refunds).
* 支付买家数 of a channel with behaviour events but **no paid order in the period** (e.g. a shop whose only data
  is a UserBehavior log) are the distinct users with a ``buy`` event there: its buyers and CVR are then not 0.
  Its GMV is unknown, so 客单价 and the other order figures stay those of the orders; the output says so
  (note ``buyers_from_buy_events``).
* Own-site behaviour (uv, pv, cart, fav, bounce) comes from ``events``; for a channel without events the
  platform-reported ``traffic_daily`` store-level rows are used, whose visitors are distinct per day and
  source only: a multi-day or multi-source total from them is a sum, reported with ``deduplicated: false``.

Entry points: :func:`compute` (what the faces use) and :func:`daily_by_channel` (per day × channel rows, for
alerts). Output is numbers, never display text: counts are ``int``, money ``int`` fen (ratios such as 客单价
rounded half up to the fen), rates floats 0..1 rounded to 6 places; ``None`` when the denominator is 0. Only
the edges format them (templates, xlsx, the JSON of the API and CLI: :mod:`shopops.analytics.schemas`).

Refunds have one basis: **by payment date** (docs/metrics.md#refunds, docs/rules/metrics.md#refund-rate):
``refund_amount`` of a period is what has been refunded so far on the orders paid in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as idt
import ibis.expr.types as ir
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shopops.analytics.engine import Tables
from shopops.core.money import divide_half_up


@dataclass(frozen=True)
class Metric:
    """One metric's definition; ``label`` is its name for people (gettext: 支付金额 / "GMV (paid amount)")."""

    name: str
    label: Promise
    formula: str
    kind: str  # count | money | rate
    additive: bool  # may a total be the sum of its parts?
    grain: str  # how the metric rolls up over days / groups
    sources: tuple[str, ...]


_EV = ("events", "traffic_daily")
_OF = ("orders_fact", "order_lines_fact")

METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("uv", _("Visitors"), "distinct users with ≥1 page view", "count", False,
           "distinct per row: recomputed from events, never summed over days/channels", _EV),
    Metric("pv", _("Page views (PV)"), "count of pv events", "count", True, "sum", _EV),
    Metric("buyers", _("Paying buyers"), "distinct customers with a paid order; for a channel with behaviour events "
           "but no paid order in the period, distinct users with a buy event", "count", False,
           "distinct per row: recomputed from orders (and buy events)", _OF + ("events",)),
    Metric("orders", _("Paid orders"), "count of paid orders", "count", True, "sum", _OF),
    Metric("gmv", _("GMV (paid amount)"), "Σ paid incl. shipping; refunds not deducted", "money", True,
           "sum", _OF),
    Metric("cvr", _("Conversion rate"), "buyers / uv", "rate", False, "ratio of the row's totals",
           _EV + _OF),
    Metric("aov", _("Average order value"), "gmv / buyers", "money", False,
           "ratio of the row's totals", _OF),
    Metric("uv_value", _("Value per visitor"), "gmv / uv", "money", False, "ratio of the row's totals",
           _EV + _OF),
    Metric("bounce_rate", _("Bounce rate"), "visitors with exactly 1 pv / visitors, per day",
           "rate", False, "mean of the daily rates over the row's days", ("events",)),
    Metric("cart_rate", _("Add-to-cart rate"), "distinct users who added to cart / uv", "rate", False,
           "ratio of the row's distinct counts", _EV),
    Metric("fav_rate", _("Favourite rate"), "distinct users who favourited / uv", "rate", False,
           "ratio of the row's distinct counts", _EV),
    Metric("refund_amount", _("Refunds (by payment date)"), "Σ refunded of orders paid in the period", "money",
           True, "sum (by payment date)", ("orders_fact",)),
    Metric("refund_rate", _("Refund rate (30 days)"),
           "successful refunds in 30 days / sub-orders in 30 days (window ending on the row's last day)", "rate",
           False, "30-day window, recomputed", _OF),
    Metric("new_buyers", _("New buyers"), "buyers with no paid order before the row's first day", "count",
           False, "distinct per row", ("orders_fact",)),
    Metric("returning_buyers", _("Returning buyers"), "buyers with a paid order before the row's first day",
           "count", False, "distinct per row", ("orders_fact",)),
    Metric("repurchase_rate", _("Repurchase rate"), "buyers with ≥2 orders in the row / buyers", "rate",
           False, "recomputed per row", ("orders_fact",)),
)}

BY = ("day", "week", "month", "channel", "source", "product", "category")
TIME_BY = ("day", "week", "month")
_RATE_PLACES = 6


def _rate(num: int | float, den: int | float) -> float | None:
    return round(num / den, _RATE_PLACES) if den else None


# ---------------------------------------------------------------- group keys per table

_DATE_COLUMN = {"events": "date", "traffic_daily": "date", "orders_fact": "paid_date", "order_lines_fact": "paid_date",
                "user_day": "date", "customer_day": "paid_date"}


def _key_expr(table: ir.Table, name: str, dim: str) -> ir.Value:
    d = table[_DATE_COLUMN[name]]
    if dim == "day":
        return d
    if dim == "week":
        return d.truncate("W").cast("date")
    if dim == "month":
        return d.truncate("M").cast("date")
    if dim in ("product", "category"):
        column = {("events", "product"): "item_id", ("order_lines_fact", "product"): "spu_code",
                  ("events", "category"): "category_id", ("order_lines_fact", "category"): "category"}
        return table[column[(name, dim)]] if (name, dim) in column else ibis.literal("")
    return table[dim]


def _keys(table: ir.Table, name: str, dims: Sequence[str]) -> dict[str, ir.Value]:
    return {f"k_{dim}": _key_expr(table, name, dim) for dim in dims}


def _key_of(row: dict, dims: Sequence[str]) -> tuple:
    return tuple(_plain(row[f"k_{dim}"]) for dim in dims)


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def _row_start(dims: Sequence[str], key: tuple, date_from: dt.date) -> dt.date:
    """The first day of a row's slice (for new/returning buyers)."""
    for dim, value in zip(dims, key, strict=True):
        if dim in TIME_BY:
            return max(dt.date.fromisoformat(value), date_from)
    return date_from


def _row_end(dims: Sequence[str], key: tuple, date_to: dt.date) -> dt.date:
    for dim, value in zip(dims, key, strict=True):
        if dim in TIME_BY:
            start = dt.date.fromisoformat(value)
            if dim == "day":
                end = start
            elif dim == "week":
                end = start + dt.timedelta(days=6)
            else:
                nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                end = nxt - dt.timedelta(days=1)
            return min(end, date_to)
    return date_to


# ---------------------------------------------------------------- the queries

def _in_period(tables: Tables, name: str, date_from: dt.date, date_to: dt.date, channel: str | None) -> ir.Table:
    """Table ``name``'s rows whose business date lies in the period (of ``channel`` when given)."""
    table = tables[name]
    table = table.filter(table[_DATE_COLUMN[name]].between(date_from, date_to))
    if channel:
        table = table.filter(table.channel == channel)
    return table


# Reading from the rollups (docs/architecture.md#rollups, docs/metrics.md#rollups): when ``tables.rollups``,
# a query whose grouping the rollup keeps reads it instead of the facts, with the same formulas — only the
# input table and its columns change, and the results are equal (tests/analytics/test_rollup_equals_raw.py).
_USER_DAY_DIMS = frozenset({"day", "week", "month", "channel"})  # user_day has no source, item or category
_BEHAVIOURS = ("pv", "cart", "fav", "buy")


def _behaviour_table(tables: Tables, dims: Sequence[str]) -> str:
    """``user_day`` when the rollups may be read and keep every dim, else the raw ``events``."""
    return "user_day" if tables.rollups and set(dims) <= _USER_DAY_DIMS else "events"


def _behaviour_counts(tables: Tables, dims: Sequence[str], date_from: dt.date, date_to: dt.date,
                      channel: str | None) -> tuple[ir.Table, str]:
    """The period's behaviour rows with ``pv``, ``cart``, ``fav`` and ``buy`` counts — user_day's own columns
    (per user, day and feed), or each event's 0/1 flags — so one aggregation serves both; and the table name."""
    name = _behaviour_table(tables, dims)
    rows = _in_period(tables, name, date_from, date_to, channel)
    if name == "events":
        rows = rows.mutate(**{b: (rows.behavior == b).cast("int64") for b in _BEHAVIOURS})
    return rows, name


def _orders_table(tables: Tables) -> str:
    """``customer_day`` when the rollups may be read (one row per customer × paid day × channel × source, with
    the orders' count and money summed), else the raw ``orders_fact``."""
    return "customer_day" if tables.rollups else "orders_fact"


def _order_count(t: ir.Table) -> ir.IntegerValue:
    """Paid orders of some order rows: Σ ``orders`` of customer_day rows, distinct order ids of facts/lines."""
    return t.orders.sum() if "orders" in t.columns else t.order_id.nunique()


def _channels_with_orders(tables: Tables, *, date_from: dt.date, date_to: dt.date, channel: str | None
                          ) -> list[str]:
    """The channels with a paid order in the period: the others' buyers are counted from ``buy`` events."""
    of = _in_period(tables, _orders_table(tables), date_from, date_to, channel)
    return sorted(str(r["channel"]) for r in tables.engine.rows(of.select("channel").distinct()))


def _buys_of_channels_without_orders(ev: ir.Table, order_channels: Sequence[str]) -> ir.BooleanValue:
    """A behaviour row has a buy of a channel that has no paid order in the period."""
    buy = ev.buy > 0
    return buy & ~ev.channel.isin(list(order_channels)) if order_channels else buy


def behaviour_query(tables: Tables, dims: Sequence[str], *, date_from: dt.date, date_to: dt.date,
                    channel: str | None = None, order_channels: Sequence[str] = ()) -> ir.Table:
    """Own-site behaviour of the rows **and** of the period's totals in one query over ``events`` (``user_day``
    when the rollups may be read and the dims are time and channel only).

    The events are grouped once per (day, group, user) — ``pv`` count, did ``cart``, did ``fav`` — and every
    figure is derived from that table, so distinct people are still recomputed per row and for the totals
    (never summed) while the log is scanned once, not once per figure (benchmarks/analytics.py).
    Its rows are tagged by ``part``:

    * ``row`` (only with ``dims``): per group — ``uv`` (users with ≥ 1 pv), ``pv``, ``cart_users``,
      ``fav_users``, ``buy_users`` (users with a ``buy`` in a channel not in ``order_channels``); with ``day`` among the dims also the group's day figures below (same grain);
    * ``row_day`` (dims without ``day``): per group and day ``d`` — ``visitors`` (≥ 1 pv that day in the
      group) and ``one_page`` (exactly 1 pv), for the bounce rate;
    * ``total``: the period — ``uv``, ``pv``, ``cart_users``, ``fav_users``, ``buy_users`` (one row, also when
      empty);
    * ``total_day``: per day ``d`` — ``visitors``, ``one_page``.

    Columns the part does not fill are null; ``k_<dim>`` are null in the totals.
    """
    ev, name = _behaviour_counts(tables, dims, date_from, date_to, channel)
    keys = _keys(ev, name, dims)
    group = list(keys)
    base = ev.group_by([*(v.name(k) for k, v in keys.items()), *([] if "day" in dims else [ev.date.name("d")]),
                        ev.user_id]).aggregate(
        pv=ev.pv.sum().cast("int64"),
        cart=(ev.cart > 0).any(),
        fav=(ev.fav > 0).any(),
        buy=_buys_of_channels_without_orders(ev, order_channels).any(),
    )
    if "day" in dims:
        base = base.mutate(d=base.k_day)  # with day, k_day is the day
    key_types = {k: base[k].type() for k in group}
    parts = _behaviour_rows(base, dims, group, key_types) if group else []
    users = _per_user(base, [])
    parts.append(_shaped("total", users.aggregate(**_counts(users)), key_types, with_keys=False, with_day=False))
    # the time dims are functions of the day: per (day, group, user) is then per (day, user)
    daily = base if all(d in TIME_BY for d in dims) else _per_user(base, ["d"])
    parts.append(_shaped("total_day", daily.group_by("d").aggregate(**_bounce(daily)), key_types,
                         with_keys=False, with_day=True))
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


_BEHAVIOUR_COLUMNS = ("uv", "pv", "cart_users", "fav_users", "buy_users", "visitors", "one_page")


def _counts(t: ir.Table) -> dict[str, ir.Value]:
    """Distinct people of a per-user table: users with ≥ 1 pv, page views, users who carted / faved / bought
    (in a channel without orders)."""
    return {"uv": (t.pv > 0).cast("int64").sum().cast("int64"), "pv": t.pv.sum().cast("int64"),
            "cart_users": t.cart.cast("int64").sum().cast("int64"),
            "fav_users": t.fav.cast("int64").sum().cast("int64"),
            "buy_users": t.buy.cast("int64").sum().cast("int64")}


def _bounce(t: ir.Table) -> dict[str, ir.Value]:
    """The bounce rate's parts of a per-(day, user) table: visitors and one-page visitors."""
    return {"visitors": (t.pv > 0).cast("int64").sum().cast("int64"),
            "one_page": (t.pv == 1).cast("int64").sum().cast("int64")}


def _per_user(t: ir.Table, by: list[str]) -> ir.Table:
    """Roll the per (day, group, user) table up to per (``by``, user): a person counted once per row."""
    return t.group_by([*by, "user_id"]).aggregate(pv=t.pv.sum().cast("int64"), cart=t.cart.any(), fav=t.fav.any(),
                                                  buy=t.buy.any())


def _shaped(part: str, t: ir.Table, key_types: dict[str, idt.DataType], *, with_keys: bool, with_day: bool) -> ir.Table:
    """One part of the union in the common column layout: ``part``, the ``k_<dim>`` keys, ``d`` and every
    figure, null where the part does not fill it (a union needs the same columns and types)."""
    cols = {"part": ibis.literal(part, "string")}
    for k, key_type in key_types.items():
        cols[k] = t[k] if with_keys else ibis.null(key_type)
    cols["d"] = t.d if with_day else ibis.null("date")
    for c in _BEHAVIOUR_COLUMNS:
        cols[c] = t[c] if c in t.columns else ibis.null("int64")
    return t.select(**cols)


def _behaviour_rows(base: ir.Table, dims: Sequence[str], group: list[str], key_types: dict[str, idt.DataType]
                    ) -> list[ir.Table]:
    """The ``row`` (and, without ``day`` among the dims, ``row_day``) parts of :func:`behaviour_query`."""
    if "day" in dims:  # base is per (group, user) already, and a group is one day
        rows = base.group_by(group).aggregate(**_counts(base), **_bounce(base))
        rows = rows.mutate(d=rows.k_day)
        return [_shaped("row", rows, key_types, with_keys=True, with_day=True)]
    users = _per_user(base, group)
    return [_shaped("row", users.group_by(group).aggregate(**_counts(users)), key_types, with_keys=True,
                    with_day=False),
            _shaped("row_day", base.group_by([*group, "d"]).aggregate(**_bounce(base)), key_types, with_keys=True,
                    with_day=True)]


def _has_platform_rows(tables: Tables, *, date_from: dt.date, date_to: dt.date, channel: str | None) -> bool:
    """Does the shop have any store-level ``traffic_daily`` row in the period? (Cheap; skips the anti-join.)"""
    td = _platform_rows(tables, date_from, date_to, channel)
    return bool(tables.engine.rows(td.select("channel").limit(1)))


def _platform_rows(tables: Tables, date_from: dt.date, date_to: dt.date, channel: str | None) -> ir.Table:
    td = _in_period(tables, "traffic_daily", date_from, date_to, channel)
    return td.filter(td.level.isin(["store", ""]))


def _platform_without_events(tables: Tables, date_from: dt.date, date_to: dt.date,
                             channel: str | None) -> ir.Table:
    """Store-level platform rows of the channels that have no own-site events in the period."""
    td = _platform_rows(tables, date_from, date_to, channel)
    ev = _in_period(tables, _behaviour_table(tables, ()), date_from, date_to, channel)
    with_events = ev.select(ev.channel).distinct()
    return td.anti_join(with_events, td.channel == with_events.channel)


def platform_query(tables: Tables, dims: Sequence[str], *, date_from: dt.date, date_to: dt.date,
                   channel: str | None = None) -> ir.Table:
    """Platform-reported store-level traffic of the channels that have no events in the period.

    ``parts`` is the number of (date, source, terminal) rows summed: more than one means the visitor counts
    are not de-duplicated.
    """
    td = _platform_without_events(tables, date_from, date_to, channel)
    keys = _keys(td, "traffic_daily", dims)
    aggs = {
        "uv": td.visitors.sum().cast("int64"), "pv": td.page_views.sum().cast("int64"),
        "cart_users": td.cart_users.sum().cast("int64"), "fav_users": td.fav_users.sum().cast("int64"),
        "parts": td.count(), "channels": td.channel.nunique(),
        # rate denominators: only the visitors of rows that report the numerator (null = not reported)
        "cart_uv": td.visitors.sum(where=td.cart_users.notnull()).cast("int64"),
        "fav_uv": td.visitors.sum(where=td.fav_users.notnull()).cast("int64"),
        "bounce_uv": td.visitors.sum(where=td.bounce_rate.notnull()).cast("int64"),
    }
    if keys:
        return td.group_by([v.name(k) for k, v in keys.items()]).aggregate(**aggs)
    return td.aggregate(**aggs)


def platform_bounce_query(tables: Tables, dims: Sequence[str], *, date_from: dt.date, date_to: dt.date,
                          channel: str | None = None) -> ir.Table:
    """Per group and day ``d``: the platform-reported visitors and one-page visitors (跳失率 × 访客数, rounded
    to whole people) of the channels without events, for rows that report a bounce rate."""
    td = _platform_without_events(tables, date_from, date_to, channel)
    td = td.filter(td.bounce_rate.notnull() & (td.visitors > 0))
    keys = _keys(td, "traffic_daily", dims)
    one_page = (td.bounce_rate * td.visitors).round().cast("int64")
    return td.group_by([*(v.name(k) for k, v in keys.items()), td.date.name("d")]).aggregate(
        visitors=td.visitors.sum().cast("int64"), one_page=one_page.sum().cast("int64"))


def orders_query(tables: Tables, dims: Sequence[str], *, date_from: dt.date, date_to: dt.date,
                 channel: str | None = None) -> ir.Table:
    """Per group: orders, buyers, gmv_fen, refund_fen, returning buyers, repeat buyers (≥2 orders).

    Product/category groups read order lines (GMV of the lines, without shipping). A buyer is *returning* in
    a row when the shop has a paid order of theirs (any channel) before the row's first day.
    """
    product_level = any(d in ("product", "category") for d in dims)
    orders_table = _orders_table(tables)
    of_all = tables[orders_table]
    first = of_all.group_by(of_all.customer_id).aggregate(first_date=of_all.paid_date.min())
    # product and category rows need the lines (customer_day has no product; sku_day no customer)
    if product_level:
        li = tables["order_lines_fact"]
        # lines not matched to a SKU have no product or category (docs/rules/sku-matching.md#unmatched-lines)
        li = li.filter(li.paid_date.between(date_from, date_to) & li.sku_id.notnull())
        if channel:
            li = li.filter(li.channel == channel)
        keys = _keys(li, "order_lines_fact", dims)
        base = li.select(*(v.name(k) for k, v in keys.items()), li.order_id, li.customer_id, li.paid_date,
                         paid=li.paid_fen, refunded=ibis.literal(0, "int64"))
    else:
        of = _in_period(tables, orders_table, date_from, date_to, channel)
        keys = _keys(of, orders_table, dims)
        count = of.orders if orders_table == "customer_day" else of.order_id
        base = of.select(*(v.name(k) for k, v in keys.items()), count, of.customer_id, of.paid_date,
                         paid=of.paid_fen, refunded=of.refunded_fen)
    group = list(keys)
    # the row's first day: the time bucket (not before date_from) or date_from
    time_dims = [d for d in dims if d in TIME_BY]
    start = (ibis.greatest(base[f"k_{time_dims[0]}"], ibis.literal(date_from)) if time_dims
             else ibis.literal(date_from))
    base = base.mutate(start=start)
    per_buyer = base.group_by([*group, "customer_id", "start"]).aggregate(
        n_orders=_order_count(base), paid=base.paid.sum(), refunded=base.refunded.sum())
    per_buyer = per_buyer.join(first, per_buyer.customer_id == first.customer_id, how="left")
    per_buyer = per_buyer.mutate(returning=(per_buyer.first_date < per_buyer.start).fill_null(False))
    aggs = {
        "orders": per_buyer.n_orders.sum().cast("int64"), "buyers": per_buyer.count(),
        "gmv_fen": per_buyer.paid.sum().cast("int64"), "refund_fen": per_buyer.refunded.sum().cast("int64"),
        "returning": per_buyer.returning.cast("int64").sum().cast("int64"),
        "repeat": (per_buyer.n_orders >= 2).cast("int64").sum().cast("int64"),
    }
    if group:
        return per_buyer.group_by(group).aggregate(**aggs)
    return per_buyer.aggregate(**aggs)


def refund_daily_query(tables: Tables, dims: Sequence[str], *, date_from: dt.date, date_to: dt.date,
                       channel: str | None = None) -> ir.Table:
    """Per non-time group and payment day (from date_from − 29): sub-orders and refunded sub-orders.

    Always the raw facts: a sub-order count needs each order's lines, and whether an order is fully refunded
    needs its own paid and refunded amounts (customer_day sums them per customer and day).
    """
    of = tables["orders_fact"]
    li = tables["order_lines_fact"]
    start = date_from - dt.timedelta(days=29)
    of = of.filter(of.paid_date.between(start, date_to))
    if channel:
        of = of.filter(of.channel == channel)
    lines = li.group_by(li.order_id).aggregate(n_lines=li.count())
    j = of.join(lines, of.order_id == lines.order_id, how="left")
    n = j.n_lines.fill_null(1)
    refunded = ibis.cases((j.refunded_fen <= 0, 0), (j.refunded_fen >= j.paid_fen, n), else_=1)
    keys = {f"k_{d}": j[d] for d in dims if d in ("channel", "source")}
    return j.group_by([*(v.name(k) for k, v in keys.items()), j.paid_date.name("d")]).aggregate(
        subs=n.sum().cast("int64"), refunds=refunded.sum().cast("int64"))


# ---------------------------------------------------------------- assembly

@dataclass
class _Acc:
    uv: int = 0
    pv: int = 0
    cart_users: int = 0
    fav_users: int = 0
    cart_uv: int = 0  # the visitors of the rows that report cart_users (the rate's denominator)
    fav_uv: int = 0
    platform_uv: int = 0
    bounce_uv: int = 0  # platform visitors of rows that report a bounce rate
    platform_parts: int = 0
    platform_channels: int = 0
    has_events: bool = False
    buy_users: int = 0  # users with a buy event in a channel without orders: buyers too
    orders: int = 0
    buyers: int = 0
    gmv_fen: int = 0
    refund_fen: int = 0
    returning: int = 0
    repeat: int = 0
    bounce_days: dict | None = None  # day → [one-page visitors, visitors] over the reporting channels
    refund_rate: float | None = None
    refund_known: bool = True


def _behaviour(engine_rows, tables: Tables, dims: Sequence[str], *, date_from, date_to,
               channel) -> tuple[dict[tuple, _Acc], _Acc]:
    """The rows' and the total's own-site behaviour and daily bounce rates from one :func:`behaviour_query`."""
    accs: dict[tuple, _Acc] = defaultdict(_Acc)
    total = _Acc()
    order_channels = _channels_with_orders(tables, date_from=date_from, date_to=date_to, channel=channel)
    result = engine_rows(behaviour_query(tables, dims, date_from=date_from, date_to=date_to, channel=channel,
                                         order_channels=order_channels))
    # the order of the days does not change a mean; sorted, it is the same sum on every engine
    for r in sorted(result, key=lambda r: (r["part"], str(r["d"]))):
        part = r["part"]
        key = _key_of(r, dims) if part.startswith("row") else None
        if part in ("row", "total"):
            a = accs[key] if key is not None else total
            a.uv, a.pv, a.cart_users, a.fav_users, a.buy_users = (
                int(r[c] or 0) for c in ("uv", "pv", "cart_users", "fav_users", "buy_users"))
            a.cart_uv = a.fav_uv = a.uv  # the own-site log reports every cart and fav
            a.has_events = bool(a.uv or a.pv or a.cart_users or a.fav_users or a.buy_users)
        if r["visitors"]:
            _add_bounce_day(accs[key] if key is not None else total, r)
    return accs, total


def _add_bounce_day(a: _Acc, r: dict) -> None:
    if a.bounce_days is None:
        a.bounce_days = {}
    day = a.bounce_days.setdefault(_plain(r["d"]), [0, 0])
    day[0] += int(r["one_page"] or 0)
    day[1] += int(r["visitors"] or 0)


def _gather(engine_rows, tables: Tables, dims: Sequence[str], accs: dict[tuple, _Acc], *, platform: bool,
            date_from, date_to, channel) -> dict[tuple, _Acc]:
    """Add the platform traffic, orders and refund rates of ``dims``'s groups to their behaviour ``accs``."""
    kw = {"date_from": date_from, "date_to": date_to, "channel": channel}
    product_level = any(d in ("product", "category") for d in dims)
    if not product_level and platform:
        for r in engine_rows(platform_query(tables, dims, **kw)):
            if not r["parts"]:
                continue
            a = accs[_key_of(r, dims)]
            a.uv += int(r["uv"] or 0)
            a.pv += int(r["pv"] or 0)
            a.cart_users += int(r["cart_users"] or 0)
            a.fav_users += int(r["fav_users"] or 0)
            a.cart_uv += int(r["cart_uv"] or 0)
            a.fav_uv += int(r["fav_uv"] or 0)
            a.platform_uv += int(r["uv"] or 0)
            a.bounce_uv += int(r["bounce_uv"] or 0)
            a.platform_parts += int(r["parts"])
            a.platform_channels += int(r["channels"])
        for r in engine_rows(platform_bounce_query(tables, dims, **kw)):
            _add_bounce_day(accs[_key_of(r, dims)], r)
    for r in engine_rows(orders_query(tables, dims, **kw)):
        if not r["buyers"]:
            continue
        a = accs[_key_of(r, dims)]
        for c in ("orders", "buyers", "gmv_fen", "refund_fen", "returning", "repeat"):
            setattr(a, c, int(r[c] or 0))
    if product_level:
        for a in accs.values():
            a.refund_known = False
    else:
        series: dict[tuple, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
        plain = [d for d in dims if d in ("channel", "source")]
        for r in engine_rows(refund_daily_query(tables, dims, **kw)):
            day = r["d"] if isinstance(r["d"], dt.date) else dt.date.fromisoformat(str(r["d"])[:10])
            if isinstance(day, dt.datetime):
                day = day.date()
            series[_key_of(r, plain)][day] = (int(r["subs"] or 0), int(r["refunds"] or 0))
        for key, a in accs.items():
            sub_key = tuple(v for d, v in zip(dims, key, strict=True) if d in ("channel", "source"))
            end = _row_end(dims, key, date_to)
            days = series.get(sub_key, {})
            subs = refunds = 0
            for i in range(30):
                s, f = days.get(end - dt.timedelta(days=i), (0, 0))
                subs += s
                refunds += f
            a.refund_rate = _rate(refunds, subs)
    return accs


def _values(a: _Acc, dims: Sequence[str], key: tuple, date_from: dt.date) -> dict:
    # the mean of the daily rates; the days in order, so the float sum is the same on every engine
    rates = [p / v for _, (p, v) in sorted((a.bounce_days or {}).items()) if v]
    bounce = round(sum(rates) / len(rates), _RATE_PLACES) if rates else None
    new = a.buyers - a.returning
    buyers = a.buyers + a.buy_users  # order buyers, and the buy events of channels without orders
    return {
        "uv": a.uv, "pv": a.pv, "buyers": buyers, "orders": a.orders, "gmv": a.gmv_fen,
        "cvr": _rate(buyers, a.uv), "aov": divide_half_up(a.gmv_fen, a.buyers),
        "uv_value": divide_half_up(a.gmv_fen, a.uv), "bounce_rate": bounce,
        "cart_rate": _rate(a.cart_users, a.cart_uv), "fav_rate": _rate(a.fav_users, a.fav_uv),
        "refund_amount": a.refund_fen if a.refund_known else None,
        "refund_rate": a.refund_rate if a.refund_known else None,
        "new_buyers": new, "returning_buyers": a.returning, "repurchase_rate": _rate(a.repeat, a.buyers),
    }


def _dedup(a: _Acc) -> bool:
    """False when the visitor counts include a sum of platform daily distinct counts over >1 row/channel."""
    if not a.platform_parts:
        return True
    return a.platform_parts == 1 and not a.has_events


def _partial_rates(a: _Acc) -> bool:
    """Do the bounce, cart or fav rates leave out visitors of channels that do not report them?"""
    return a.cart_uv < a.uv or a.fav_uv < a.uv or a.bounce_uv < a.platform_uv


def _parse_by(by: str | Sequence[str] | None) -> tuple[str, ...]:
    if by is None or by == "":
        return ()
    dims = (by,) if isinstance(by, str) else tuple(by)
    for d in dims:
        if d not in BY:
            raise ValueError(f"unknown grouping {d!r}")
    return dims


def compute(tables: Tables, *, date_from: dt.date, date_to: dt.date, by: str | Sequence[str] | None = None,
            channel: str | None = None, metrics: Iterable[str] | None = None) -> dict:
    """Metrics of one shop over ``date_from..date_to`` (inclusive, business dates), optionally grouped.

    Returns ``{"rows": [{<by>: key, ..., <metric>: value, "deduplicated": bool}], "totals": {<metric>: value,
    "deduplicated": bool}, "notes": [str], "by": [dims], "metrics": [names]}``. Rows are sorted by key. The
    totals are recomputed from the rows of the whole period (not a sum of the rows' values).
    ``by`` may be one dimension of :data:`BY` or a tuple of them (e.g. ``("day", "channel")``).
    """
    dims = _parse_by(by)
    names = list(metrics) if metrics else list(METRICS)
    unknown = [m for m in names if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metrics: {', '.join(unknown)}")
    rows_of = tables.engine.rows
    kw = {"date_from": date_from, "date_to": date_to, "channel": channel or None}
    row_accs, total = _behaviour(rows_of, tables, dims, **kw)
    # without platform rows in the period, skip platform_query (its anti-join scans the events' channels)
    platform = _has_platform_rows(tables, **kw)
    accs = _gather(rows_of, tables, dims, row_accs, platform=platform, **kw) if dims else {}
    total = _gather(rows_of, tables, (), {(): total}, platform=platform, **kw)[()]
    out_rows = []
    for key in sorted(accs, key=lambda k: tuple(str(v) for v in k)):
        a = accs[key]
        values = _values(a, dims, key, date_from)
        row = dict(zip(dims, key, strict=True))
        row.update({m: values[m] for m in names})
        row["deduplicated"] = _dedup(a)
        out_rows.append(row)
    tv = _values(total, (), (), date_from)
    totals = {m: tv[m] for m in names}
    totals["deduplicated"] = _dedup(total)
    notes = []
    if not totals["deduplicated"] or any(not r["deduplicated"] for r in out_rows):
        notes.append("platform_uv_not_deduplicated")
    if _partial_rates(total) or any(_partial_rates(a) for a in accs.values()):
        notes.append("rates_cover_reporting_channels")
    if any(d in ("product", "category") for d in dims):
        notes.append("product_rows_gmv_without_shipping_refunds_unknown")
    if total.buy_users or any(a.buy_users for a in accs.values()):
        notes.append("buyers_from_buy_events")
    return {"rows": out_rows, "totals": totals, "notes": notes, "by": list(dims), "metrics": names}


def daily_by_channel(tables: Tables, *, date_from: dt.date, date_to: dt.date,
                     metrics: Iterable[str] | None = None) -> list[dict]:
    """One row per (day, channel) with data: ``{"day": "YYYY-MM-DD", "channel": str, <metric>: value, ...}``.

    The same values as ``compute(by=("day", "channel"))["rows"]`` (for alerts).
    """
    return compute(tables, date_from=date_from, date_to=date_to, by=("day", "channel"), metrics=metrics)["rows"]


NOTES: dict[str, Promise] = {
    "platform_uv_not_deduplicated": _(
        "Some visitor counts are platform daily figures added over days or sources: they are not de-duplicated."),
    "rates_cover_reporting_channels": _(
        "Bounce, add-to-cart and favourite rates cover only the channels that report them (the own-site behaviour "
        "log, or platform daily rows with a bounce rate / cart / favourite people): other channels' visitors are "
        "left out of their denominators."),
    "product_rows_gmv_without_shipping_refunds_unknown": _(
        "Product rows: GMV without shipping; refunds are kept per order and cannot be split by product."),
    "buyers_from_buy_events": _(
        "Paying buyers and conversion of channels with a behaviour log but no orders in the period are counted "
        "from the log's buy events (distinct users); their GMV and average order value are unknown."),
}
