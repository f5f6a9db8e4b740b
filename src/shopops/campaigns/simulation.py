"""The vectorised 到手价/margin simulation of a campaign: the 到手价 of every SKU's carts comes from the pricing
engine's batch form (``shopops.pricing.domain.quote_batch``); the margins, the worst case and the flags (price
floor, minimum margin, 7-day reference price of 《规范促销行为暂行规定》, docs/rules/campaigns.md#reference-price)
are computed here.

Pure (numpy, no Django, no I/O), but not a ``domain`` module: it builds on the pricing engine, the shared pure
library, and states none of its rules — ``tests/campaigns/test_simulation_property.py`` proves
``simulate_carts`` equals ``quote`` line for line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np

from shopops.campaigns.domain import ChannelCosts
from shopops.core.money import basis_points_half_up
from shopops.pricing.domain import Cart, CartColumns, Line, MemberPrice, Promotion, quote_batch

BASKET_SKU = "(basket)"  # the rest of a typical basket, as one line in scope of campaign-wide offers only


@dataclass(frozen=True)
class CartBatch:
    """n carts of the same shape: column 0 is the SKU simulated (``qty`` units at ``price``), column 1 the rest
    of the basket (one unit at ``rest`` fen, absent where 0). ``covers`` maps promotion id → bool[n] for the
    SKU column (its SKU scope); the basket column is covered only by offers without a SKU list."""

    shop: str
    price: np.ndarray
    qty: np.ndarray
    rest: np.ndarray
    covers: dict[str, np.ndarray]


@dataclass(frozen=True)
class BatchQuote:
    """Per cart: the SKU line's pay, the order's pay, the unit price after 单品级 offers, the gift ids granted."""

    line_pay: np.ndarray
    order_pay: np.ndarray
    item_price: np.ndarray
    deposit: np.ndarray
    gifts: dict[str, np.ndarray]


def simulate_carts(batch: CartBatch, promotions: Sequence[Promotion], *, member: bool = False,
                   at: dt.datetime | None = None) -> BatchQuote:
    """Quote every cart of ``batch`` under ``promotions`` (live at ``at``), exactly as ``pricing.quote`` would:
    the SKU + basket carts handed to the pricing engine's batch form (``pricing.domain.quote_batch``), which
    applies the rules of docs/rules/pricing.md. Only the cart shape is the campaign's."""
    n = len(batch.price)
    sku_column = np.ones(n, dtype=bool)
    listed = {}
    for promotion in promotions:
        if promotion.scope.skus:
            sku_listed = batch.covers.get(promotion.id)
            listed[promotion.id] = np.stack([np.zeros(n, dtype=bool) if sku_listed is None else sku_listed,
                                             np.full(n, BASKET_SKU in promotion.scope.skus)], axis=1)
    columns = CartColumns(price=np.stack([batch.price, batch.rest], axis=1),
                          qty=np.stack([batch.qty, np.ones(n, dtype=np.int64)], axis=1),
                          present=np.stack([sku_column, batch.rest > 0], axis=1), shop=batch.shop, listed=listed)
    quoted = quote_batch(columns, promotions, at=at, member=member)
    line_pay = quoted.pay[:, 0]
    return BatchQuote(line_pay=line_pay if line_pay.dtype == object else line_pay.astype(np.int64),
                      order_pay=quoted.total_pay, item_price=quoted.item_price[:, 0], deposit=quoted.deposit[:, 0],
                      gifts=quoted.gifts)


def engine_cart(*, shop: str, sku: str, price: int, qty: int, rest: int, promotions: Sequence[Promotion],
                at: dt.datetime | None = None, member: bool = False) -> Cart:
    """The ``pricing`` cart that ``simulate_carts`` models for one row (the baseline and the property test)."""
    lines = [Line("1", sku, shop, price, qty)]
    if rest > 0:
        lines.append(Line("2", BASKET_SKU, shop, rest, 1))
    return Cart(tuple(lines), tuple(promotions), at, member)


def live_sets(promotions: Sequence[Promotion], start: dt.datetime, end: dt.datetime
              ) -> list[tuple[dt.datetime, tuple[Promotion, ...]]]:
    """The distinct sets of promotions live at the same time in [start, end), each with an instant.

    A set changes only where some promotion starts or ends, so those instants (and ``start``) cover every
    combination the calendar allows.
    """
    instants = {start}
    for promotion in promotions:
        for edge in (promotion.window.start, promotion.window.end):
            if edge is not None and start <= edge < end:
                instants.add(edge)
    seen: dict[frozenset[str], tuple[dt.datetime, tuple[Promotion, ...]]] = {}
    for instant in sorted(instants):
        live = tuple(p for p in promotions if p.window.contains(instant))
        seen.setdefault(frozenset(p.id for p in live), (instant, live))
    return [value for value in seen.values() if value[1]]


def local_midnight(day: dt.date, tz_name: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(tz_name))


@dataclass(frozen=True)
class SimulationInput:
    """Everything the simulation needs, as arrays over the SKUs in scope (money in fen)."""

    shop: str
    skus: list[str]
    price: np.ndarray  # list price (the claimed 原价 unless ``claimed`` says otherwise)
    cost: np.ndarray
    floor: np.ndarray  # price floor per unit
    claimed: np.ndarray  # the 原价 the promotion states (划线价)
    reference: np.ndarray  # lowest transaction price in the reference window; -1 = no transaction known
    basket_qty: np.ndarray  # typical basket: units of the SKU (1 where no history)
    basket_rest: np.ndarray  # typical basket: list amount of the other lines (0 = bought alone)
    promotions: Sequence[Promotion]
    channels: Sequence[str]
    costs: dict[str, ChannelCosts]
    gift_cost: dict[str, int] = field(default_factory=dict)  # gift promotion id → cost of its gifts per order
    min_margin_bp: int = 1_000
    start: dt.datetime | None = None
    end: dt.datetime | None = None


FLAG_WEIGHTS = {"loss": 4, "below_floor": 3, "reference_price": 3, "below_min_margin": 2}


@dataclass(frozen=True)
class SimulationResult:
    """Worst case per SKU over every live set × member or not × scenario (one unit, typical basket)."""

    skus: list[str]
    worst_unit_pay: np.ndarray  # fen per unit, floor of pay / qty (compared exactly, see flags)
    worst_scenario: list[str]
    worst_channel: list[str]
    margin: np.ndarray  # worst channel's margin of the worst scenario, fen per unit
    margin_bp: np.ndarray  # margin / pay in basis points (−10000.. when pay is 0: −inf shown as None)
    channel_margin: dict[str, np.ndarray]
    flags: dict[str, np.ndarray]
    risk: np.ndarray
    order: np.ndarray  # indices sorted by risk, most risky first
    scenarios: int
    live_sets: int


def scenario_name(shape: str, member: bool, instant: dt.datetime) -> str:
    """A scenario's name in the report's JSON (``unit member @ 2026-10-31T20:00:00+08:00``); pages read it
    back with ``scenario_parts`` and show it in words and local time."""
    return f"{shape}{' member' if member else ''} @ {instant.isoformat()}"


def scenario_parts(name: str) -> tuple[str, bool, dt.datetime | None]:
    """``scenario_name``'s (shape, member, instant); a name not in that form as (name, False, None)."""
    head, sep, at = name.partition(" @ ")
    shape, _, member = head.partition(" ")
    try:
        instant = dt.datetime.fromisoformat(at) if sep else None
    except ValueError:
        instant = None
    if instant is None or member not in ("", "member"):
        return name, False, None
    return shape, member == "member", instant


def _scenario_costs(pay: np.ndarray, order_pay: np.ndarray, qty: np.ndarray, cost: np.ndarray, gift_cost: np.ndarray,
                    c: ChannelCosts) -> np.ndarray:
    """The margin of the SKU line in fen: pay − goods − commission − payment fee − its share of the order's
    shipping, ad cost, gifts and expected returns (shared by the line's part of what the order pays)."""
    order_costs = c.shipping_fen + c.ad_cost_fen
    returns = (c.return_rate_bp * (c.shipping_fen + c.return_cost_fen) * 2 + 10_000) // 20_000
    per_order = gift_cost + order_costs + returns
    share = np.where(order_pay > 0, per_order * pay // np.where(order_pay > 0, order_pay, 1), per_order)
    fees = basis_points_half_up(pay, c.commission_bp) + basis_points_half_up(pay, c.payment_fee_bp)
    return pay - cost * qty - fees - share


def simulate(data: SimulationInput) -> SimulationResult:
    """Worst-case 到手价 and margin per SKU, flags and a risk order.

    The rules: docs/rules/pricing.md (到手价) and docs/rules/campaigns.md#reference-price (the 原价 claim).

    Combinations: each set of promotions live together in the campaign (by their start/end), for a member
    and a non-member (a 会员价 can push a price below a 满减 threshold, so either can be worse), for one unit
    and for the SKU's typical basket. Per SKU the lowest unit 到手价 and the lowest margin are kept.
    """
    n = len(data.skus)
    start = data.start or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    end = data.end or dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    sets = live_sets(data.promotions, start, end) or [(start, ())]
    covers = _sku_covers(data.promotions, data.skus)
    ones = np.ones(n, dtype=np.int64)
    zeros = np.zeros(n, dtype=np.int64)
    shapes = [("unit", ones, zeros), ("basket", np.maximum(data.basket_qty, 1), data.basket_rest)]
    worst = _Worst.start(n, data.channels)
    has_member = any(isinstance(p, MemberPrice) for p in data.promotions)
    for instant, live in sets:
        for member in ((False, True) if has_member else (False,)):
            for shape, qty, rest in shapes:
                quoted = simulate_carts(CartBatch(data.shop, data.price, qty, rest, covers), live, member=member,
                                        at=instant)
                pay = quoted.line_pay.astype(np.int64)
                worst.names.append(scenario_name(shape, member, instant))
                worst.add_pay(pay, qty)
                worst.add_margins(data, pay, quoted.order_pay.astype(np.int64), qty, _gift_cost(data, quoted))
                worst.scenarios += 1
    return worst.result(data, len(sets))


def _sku_covers(promotions: Sequence[Promotion], skus: list[str]) -> dict[str, np.ndarray]:
    """Promotion id → bool per SKU for the promotions scoped to a SKU list (SKUs outside the campaign's list
    are ignored), the ``covers`` of ``CartBatch``."""
    n = len(skus)
    index = {sku: i for i, sku in enumerate(skus)}
    covers = {}
    for promotion in promotions:
        if promotion.scope.skus:
            mask = np.zeros(n, dtype=bool)
            hits = [index[s] for s in promotion.scope.skus if s in index]
            mask[hits] = True
            covers[promotion.id] = mask
    return covers


def _gift_cost(data: SimulationInput, quoted: BatchQuote) -> np.ndarray:
    """Per cart, the cost of the gifts its order was granted (a gift is a cost of the order, not a price)."""
    gift_cost = np.zeros(len(data.skus), dtype=np.int64)
    for gift_id, granted in quoted.gifts.items():
        gift_cost = gift_cost + np.where(granted, data.gift_cost.get(gift_id, 0), 0)
    return gift_cost


@dataclass
class _Worst:
    """The running worst case per SKU over the scenarios. Unit pay and margin are kept as fractions
    (amount, qty) and compared by cross-multiplying, so a basket of 3 is compared exactly with one unit."""

    pay: np.ndarray
    pay_qty: np.ndarray
    scenario: np.ndarray
    margin_num: np.ndarray
    margin_qty: np.ndarray
    margin_pay: np.ndarray
    margin_channel: np.ndarray
    channel_margin: dict[str, np.ndarray]
    below_min: np.ndarray
    loss: np.ndarray
    names: list[str] = field(default_factory=list)
    scenarios: int = 0

    @classmethod
    def start(cls, n: int, channels: Sequence[str]) -> _Worst:
        return cls(
            pay=np.zeros(n, dtype=np.int64), pay_qty=np.ones(n, dtype=np.int64), scenario=np.zeros(n, dtype=np.int64),
            margin_num=np.zeros(n, dtype=np.int64), margin_qty=np.ones(n, dtype=np.int64),
            margin_pay=np.ones(n, dtype=np.int64), margin_channel=np.zeros(n, dtype=np.int64),
            channel_margin={ch: np.full(n, np.iinfo(np.int64).max, dtype=np.int64) for ch in channels},
            below_min=np.zeros(n, dtype=bool), loss=np.zeros(n, dtype=bool))

    def add_pay(self, pay: np.ndarray, qty: np.ndarray) -> None:
        """Keep this scenario's unit pay where it is lower (the first scenario sets it)."""
        n = len(pay)
        lower = (pay * self.pay_qty < self.pay * qty) if self.scenarios else np.ones(n, dtype=bool)
        self.pay = np.where(lower, pay, self.pay)
        self.pay_qty = np.where(lower, qty, self.pay_qty)
        self.scenario = np.where(lower, self.scenarios, self.scenario)

    def add_margins(self, data: SimulationInput, pay: np.ndarray, order_pay: np.ndarray, qty: np.ndarray,
                    gift_cost: np.ndarray) -> None:
        """Each channel's margin of this scenario: the flags (loss, below the minimum margin), the lowest
        margin per channel, and the worst unit margin over channels (the first channel of the first scenario
        sets it)."""
        n = len(pay)
        for c_no, channel in enumerate(data.channels):
            margin = _scenario_costs(pay, order_pay, qty, data.cost, gift_cost, data.costs[channel])
            per_unit = margin // qty
            self.channel_margin[channel] = np.minimum(self.channel_margin[channel], per_unit)
            self.below_min |= margin * 10_000 < data.min_margin_bp * pay
            self.loss |= margin < 0
            first = self.scenarios == 0 and c_no == 0
            worse = np.ones(n, dtype=bool) if first else margin * self.margin_qty < self.margin_num * qty
            self.margin_num = np.where(worse, margin, self.margin_num)
            self.margin_qty = np.where(worse, qty, self.margin_qty)
            self.margin_pay = np.where(worse, pay, self.margin_pay)
            self.margin_channel = np.where(worse, c_no, self.margin_channel)

    def result(self, data: SimulationInput, live_sets: int) -> SimulationResult:
        """The flags, the risk (weighted flags) and the order most risky first, lowest margin rate next."""
        n = len(data.skus)
        unit_pay = self.pay // self.pay_qty
        below_floor = self.pay < data.floor * self.pay_qty
        # 《规范促销行为暂行规定》: the stated 原价 may not exceed the lowest transaction price of the window
        reference_flag = (data.reference >= 0) & (data.claimed > data.reference)
        flags = {"loss": self.loss, "below_floor": below_floor, "reference_price": reference_flag,
                 "below_min_margin": self.below_min}
        risk = sum(weight * flags[name].astype(np.int64) for name, weight in FLAG_WEIGHTS.items())
        margin_unit = self.margin_num // self.margin_qty if data.channels else np.zeros(n, dtype=np.int64)
        margin_bp = np.where(self.margin_pay > 0, self.margin_num * 10_000 // np.maximum(self.margin_pay, 1),
                             -10_000)
        order = np.lexsort((np.array(data.skus, dtype=object).astype(str), margin_bp, -risk)) if n else np.zeros(0, int)
        return SimulationResult(
            skus=list(data.skus), worst_unit_pay=unit_pay, worst_scenario=[self.names[i] for i in self.scenario],
            worst_channel=[data.channels[i] if data.channels else "" for i in self.margin_channel],
            margin=margin_unit, margin_bp=margin_bp, channel_margin=self.channel_margin, flags=flags, risk=risk,
            order=order, scenarios=self.scenarios, live_sets=live_sets,
        )


def typical_baskets(order_ids: np.ndarray, line_skus: np.ndarray, qty: np.ndarray, list_amount: np.ndarray,
                    wanted: Sequence[str]) -> dict[str, tuple[int, int]]:
    """SKU → (its units, list amount of the other lines) in the median basket of the orders containing it.

    The median basket is the order whose list amount (current list prices × qty) is the lower median among
    the orders with that SKU (ties by order id): a real basket, not a mix of medians.
    """
    if len(order_ids) == 0:
        return {}
    totals: dict[int, int] = {}
    for oid, amount in zip(order_ids.tolist(), list_amount.tolist(), strict=True):
        totals[oid] = totals.get(oid, 0) + amount
    wanted_set = set(wanted)
    per_sku: dict[str, list[tuple[int, int, int, int]]] = {}
    for oid, sku, q, amount in zip(order_ids.tolist(), line_skus.tolist(), qty.tolist(), list_amount.tolist(),
                                   strict=True):
        if sku in wanted_set:
            per_sku.setdefault(sku, []).append((totals[oid], oid, q, totals[oid] - amount))
    out = {}
    for sku, rows in per_sku.items():
        rows.sort()
        _total, _oid, q, rest = rows[(len(rows) - 1) // 2]
        out[sku] = (q, rest)
    return out


