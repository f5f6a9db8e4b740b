"""Pure campaign rules: no ORM, no I/O (DESIGN.md layers; pure-domain import contract).

What lives here:

- the campaign's phases (预热 warm-up → 正式 main → 返场 return) and store-theme occurrences (会员日…);
- per-channel cost parameters and the **vectorised 到手价/margin simulation**: the 到手价 of every SKU's carts
  comes from the pricing engine's batch form (``shopops.pricing.domain.quote_batch``), the margins, the worst
  case and the flags (price floor, minimum margin, 7-day reference price of 《规范促销行为暂行规定》,
  docs/rules/campaigns.md#reference-price) are computed here;
- the post-mortem arithmetic (weekday-aligned baseline, incremental GMV) and the lottery (抽奖) draw with its
  ¥50,000 cap (docs/rules/campaigns.md#lottery-prize-cap).

The pricing engine (``shopops.pricing``) is the shared pure library: this module states none of its rules —
the property test ``tests/campaigns/test_simulation_property.py`` still proves ``simulate_carts`` equals
``quote`` line for line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np

from shopops.core.money import basis_points_half_up
from shopops.pricing.domain import Cart, CartColumns, Line, MemberPrice, Promotion, quote_batch

# --- phases and calendar ---------------------------------------------------------------------------------

MAX_CAMPAIGN_DAYS = 120  # a plan longer than a season is a typo (a wrong year)
# ¥50,000: 抽奖式有奖销售 top prize (《反不正当竞争法》 art. 10; docs/rules/campaigns.md#lottery-prize-cap)
LOTTERY_PRIZE_CAP_FEN = 5_000_000


@dataclass(frozen=True, slots=True)
class Phases:
    """预热 warm-up from ``warmup_start``, 正式 main ``main_start..main_end``, 返场 return to ``return_end``.

    All inclusive business dates; warm-up and return may be empty (start = main_start, end = main_end).
    """

    warmup_start: dt.date
    main_start: dt.date
    main_end: dt.date
    return_end: dt.date

    @property
    def start(self) -> dt.date:
        return self.warmup_start

    @property
    def end(self) -> dt.date:
        return self.return_end

    @property
    def days(self) -> int:
        return (self.return_end - self.warmup_start).days + 1

    def phase_of(self, day: dt.date) -> str:
        if day < self.warmup_start or day > self.return_end:
            return ""
        if day < self.main_start:
            return "warmup"
        if day <= self.main_end:
            return "main"
        return "return"


def phase_problems(warmup_start: dt.date | None, main_start: dt.date | None, main_end: dt.date | None,
                   return_end: dt.date | None) -> list[tuple[str, str]]:
    """(field, problem code) pairs: dates present, in order, not longer than ``MAX_CAMPAIGN_DAYS``."""
    problems: list[tuple[str, str]] = []
    named = {"warmup_start": warmup_start, "main_start": main_start, "main_end": main_end, "return_end": return_end}
    for name, value in named.items():
        if value is None:
            problems.append((name, "required"))
    if problems:
        return problems
    assert warmup_start and main_start and main_end and return_end
    if warmup_start > main_start:
        problems.append(("warmup_start", "after_main_start"))
    if main_start > main_end:
        problems.append(("main_end", "before_main_start"))
    if main_end > return_end:
        problems.append(("return_end", "before_main_end"))
    if not problems and (return_end - warmup_start).days + 1 > MAX_CAMPAIGN_DAYS:
        problems.append(("return_end", "too_long"))
    return problems


def campaign_status(phases: Phases, today: dt.date) -> str:
    """planned → warmup → live → return → ended, from the dates alone."""
    if today < phases.warmup_start:
        return "planned"
    if today > phases.return_end:
        return "ended"
    return {"warmup": "warmup", "main": "live", "return": "return"}[phases.phase_of(today)]


def monthly_occurrences(day_of_month: int, length_days: int, start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of a monthly store theme (会员日 on the 16th…) that fall in ``start..end``.

    Months without that day (the 31st in April) skip the theme rather than move it.
    """
    out = []
    year, month = start.year, start.month
    while dt.date(year, month, 1) <= end:
        try:
            day = dt.date(year, month, day_of_month)
        except ValueError:
            day = None
        if day is not None and start - dt.timedelta(days=max(length_days, 1) - 1) <= day <= end:
            out.append(day)
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


# --- channel cost parameters ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChannelCosts:
    """What an order costs the seller besides the goods, per channel.

    The platforms publish no fee table and every rate is configuration
    (docs/rules/campaigns.md#channel-costs-are-configuration), so these defaults are [UNVERIFIED] operator
    conventions, editable on each campaign: commission and payment fee as basis points of what the buyer pays
    (到手价), shipping and ad cost in fen per order, expected returns as basis points of orders with a fen cost
    per returned order (reverse logistics and handling; the outbound shipping is lost too).
    """

    commission_bp: int = 500
    payment_fee_bp: int = 60
    shipping_fen: int = 800
    return_rate_bp: int = 800
    return_cost_fen: int = 1_200
    ad_cost_fen: int = 0

    FIELDS = ("commission_bp", "payment_fee_bp", "shipping_fen", "return_rate_bp", "return_cost_fen", "ad_cost_fen")


# [UNVERIFIED] defaults (see ChannelCosts): marketplaces charge a commission/技术服务费 and a payment fee;
# the private domain (企业微信) and the own mini-program pay only the payment channel.
DEFAULT_CHANNEL_COSTS: dict[str, ChannelCosts] = {
    "tmall": ChannelCosts(commission_bp=500, payment_fee_bp=60, shipping_fen=800, return_rate_bp=800,
                          return_cost_fen=1_200, ad_cost_fen=1_500),
    "taobao": ChannelCosts(commission_bp=200, payment_fee_bp=60, shipping_fen=800, return_rate_bp=800,
                           return_cost_fen=1_200, ad_cost_fen=1_200),
    "jd": ChannelCosts(commission_bp=800, payment_fee_bp=100, shipping_fen=1_000, return_rate_bp=600,
                       return_cost_fen=1_200, ad_cost_fen=1_500),
    "douyin": ChannelCosts(commission_bp=500, payment_fee_bp=60, shipping_fen=800, return_rate_bp=2_000,
                           return_cost_fen=1_200, ad_cost_fen=2_500),
    "pdd": ChannelCosts(commission_bp=60, payment_fee_bp=0, shipping_fen=600, return_rate_bp=1_000,
                        return_cost_fen=1_000, ad_cost_fen=1_000),
    "xiaohongshu": ChannelCosts(commission_bp=500, payment_fee_bp=60, shipping_fen=800, return_rate_bp=1_000,
                                return_cost_fen=1_200, ad_cost_fen=2_000),
    "shopify": ChannelCosts(commission_bp=200, payment_fee_bp=290, shipping_fen=1_500, return_rate_bp=500,
                            return_cost_fen=2_000, ad_cost_fen=2_000),
    "own-site": ChannelCosts(commission_bp=0, payment_fee_bp=60, shipping_fen=800, return_rate_bp=500,
                             return_cost_fen=1_000, ad_cost_fen=0),
    "wecom": ChannelCosts(commission_bp=0, payment_fee_bp=60, shipping_fen=800, return_rate_bp=500,
                          return_cost_fen=1_000, ad_cost_fen=0),
}

COST_LIMITS = {"commission_bp": 10_000, "payment_fee_bp": 10_000, "return_rate_bp": 10_000,
               "shipping_fen": 10_000_000, "return_cost_fen": 10_000_000, "ad_cost_fen": 10_000_000}


def channel_costs(channel: str, overrides: dict | None = None) -> ChannelCosts:
    """The campaign's costs for ``channel``: the default, with the campaign's overrides on top."""
    base = DEFAULT_CHANNEL_COSTS.get(channel, ChannelCosts())
    values = {name: getattr(base, name) for name in ChannelCosts.FIELDS}
    values.update({k: int(v) for k, v in (overrides or {}).get(channel, {}).items() if k in ChannelCosts.FIELDS})
    return ChannelCosts(**values)


def cost_override_problems(data: object, channels: Sequence[str]) -> list[tuple[str, str]]:
    """Cost overrides are {channel: {field: whole number}} for the campaign's channels, within bounds
    (``COST_LIMITS``); (field, problem code) pairs."""
    if not isinstance(data, dict):
        return [("costs", "object")]
    problems = []
    for channel, values in data.items():
        if channel not in channels:
            problems.append((f"costs.{channel}", "channel"))
            continue
        if not isinstance(values, dict):
            problems.append((f"costs.{channel}", "object"))
            continue
        for name, value in values.items():
            path = f"costs.{channel}.{name}"
            if name not in ChannelCosts.FIELDS:
                problems.append((path, "unknown"))
            elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= COST_LIMITS[name]:
                problems.append((path, "range"))
    return problems


# --- the vectorised simulation ----------------------------------------------------------------------------

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
    index = {sku: i for i, sku in enumerate(data.skus)}
    covers = {}
    for promotion in data.promotions:
        if promotion.scope.skus:
            mask = np.zeros(n, dtype=bool)
            hits = [index[s] for s in promotion.scope.skus if s in index]
            mask[hits] = True
            covers[promotion.id] = mask
    ones = np.ones(n, dtype=np.int64)
    zeros = np.zeros(n, dtype=np.int64)
    shapes = [("unit", ones, zeros), ("basket", np.maximum(data.basket_qty, 1), data.basket_rest)]
    worst_pay = np.zeros(n, dtype=np.int64)  # per unit as a fraction pay/qty: compared as pay·qty' < pay'·qty
    worst_pay_qty = ones.copy()
    worst_scenario = np.zeros(n, dtype=np.int64)
    worst_margin_num = np.zeros(n, dtype=np.int64)
    worst_margin_qty = ones.copy()
    worst_margin_pay = ones.copy()
    worst_margin_channel = np.zeros(n, dtype=np.int64)
    channel_margin = {ch: np.full(n, np.iinfo(np.int64).max, dtype=np.int64) for ch in data.channels}
    below_min = np.zeros(n, dtype=bool)
    loss = np.zeros(n, dtype=bool)
    names = []
    scenario_no = 0
    has_member = any(isinstance(p, MemberPrice) for p in data.promotions)
    for instant, live in sets:
        for member in ((False, True) if has_member else (False,)):
            for shape, qty, rest in shapes:
                batch = CartBatch(data.shop, data.price, qty, rest, covers)
                quoted = simulate_carts(batch, live, member=member, at=instant)
                pay = quoted.line_pay.astype(np.int64)
                names.append(f"{shape}{' member' if member else ''} @ {instant.isoformat()}")
                lower = (pay * worst_pay_qty < worst_pay * qty) if scenario_no else np.ones(n, dtype=bool)
                worst_pay = np.where(lower, pay, worst_pay)
                worst_pay_qty = np.where(lower, qty, worst_pay_qty)
                worst_scenario = np.where(lower, scenario_no, worst_scenario)
                gift_cost = np.zeros(n, dtype=np.int64)
                for gift_id, granted in quoted.gifts.items():
                    gift_cost = gift_cost + np.where(granted, data.gift_cost.get(gift_id, 0), 0)
                order_pay = quoted.order_pay.astype(np.int64)
                for c_no, channel in enumerate(data.channels):
                    margin = _scenario_costs(pay, order_pay, qty, data.cost, gift_cost, data.costs[channel])
                    per_unit = margin // qty
                    channel_margin[channel] = np.minimum(channel_margin[channel], per_unit)
                    below_min |= margin * 10_000 < data.min_margin_bp * pay
                    loss |= margin < 0
                    first = scenario_no == 0 and c_no == 0
                    worse = np.ones(n, dtype=bool) if first else margin * worst_margin_qty < worst_margin_num * qty
                    worst_margin_num = np.where(worse, margin, worst_margin_num)
                    worst_margin_qty = np.where(worse, qty, worst_margin_qty)
                    worst_margin_pay = np.where(worse, pay, worst_margin_pay)
                    worst_margin_channel = np.where(worse, c_no, worst_margin_channel)
                scenario_no += 1
    unit_pay = worst_pay // worst_pay_qty
    below_floor = worst_pay < data.floor * worst_pay_qty
    # 《规范促销行为暂行规定》: the stated 原价 may not exceed the lowest transaction price of the window
    reference_flag = (data.reference >= 0) & (data.claimed > data.reference)
    flags = {"loss": loss, "below_floor": below_floor, "reference_price": reference_flag,
             "below_min_margin": below_min}
    risk = sum(weight * flags[name].astype(np.int64) for name, weight in FLAG_WEIGHTS.items())
    margin_unit = worst_margin_num // worst_margin_qty if data.channels else np.zeros(n, dtype=np.int64)
    margin_bp = np.where(worst_margin_pay > 0, worst_margin_num * 10_000 // np.maximum(worst_margin_pay, 1), -10_000)
    order = np.lexsort((np.array(data.skus, dtype=object).astype(str), margin_bp, -risk)) if n else np.zeros(0, int)
    return SimulationResult(
        skus=list(data.skus), worst_unit_pay=unit_pay, worst_scenario=[names[i] for i in worst_scenario],
        worst_channel=[data.channels[i] if data.channels else "" for i in worst_margin_channel], margin=margin_unit,
        margin_bp=margin_bp, channel_margin=channel_margin, flags=flags, risk=risk, order=order,
        scenarios=scenario_no, live_sets=len(sets),
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


# --- the post-mortem ----------------------------------------------------------------------------------------


def baseline_window(phases: Phases) -> tuple[dt.date, dt.date]:
    """The period of the same length just before the warm-up, shifted back by whole weeks so each day of the
    campaign faces the same weekday (weekday-aligned baseline,
    docs/rules/campaigns.md#weekday-aligned-baseline)."""
    shift = -(-phases.days // 7) * 7
    start = phases.warmup_start - dt.timedelta(days=shift)
    return start, start + dt.timedelta(days=phases.days - 1)


def incremental_gmv(campaign_fen: int, baseline_fen: int, *, post_fen: int | None = None,
                    post_baseline_fen: int | None = None) -> dict[str, int | None]:
    """Incremental GMV = campaign GMV − weekday-aligned baseline GMV of the same length (a pre-period
    difference, docs/rules/campaigns.md#incremental-gmv: marketplace sellers cannot randomise buyers, so a
    pre/peak/post comparison against a calendar baseline is the method). When the days after the campaign
    are already known, the hangover (sales pulled forward, ``post − post_baseline``, usually negative) is
    added to give the net figure."""
    gross = campaign_fen - baseline_fen
    net = None
    if post_fen is not None and post_baseline_fen is not None:
        net = gross + (post_fen - post_baseline_fen)
    return {"gross": gross, "net": net}


def ratio(numerator: int | None, denominator: int | None) -> float | None:
    """A display ratio (rates are numbers in 0..1 at the edges, DESIGN.md); None when undefined."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


# --- the lottery (抽奖) --------------------------------------------------------------------------------------


def eligible_hash(customer_ids: Iterable[int]) -> str:
    """SHA-256 of the sorted eligible ids, one per line: what the draw is bound to."""
    text = "\n".join(str(i) for i in sorted(set(customer_ids)))
    return hashlib.sha256(text.encode()).hexdigest()


def prize_problems(prizes: object) -> list[tuple[str, str]]:
    """Prizes: [{name, value_fen, count}] (count 1..10000), at least one, none above ¥50,000 (《反不正当竞争法》 art. 10 and
    《规范促销行为暂行规定》: 抽奖式有奖销售 top prize ≤ 5万元, docs/rules/campaigns.md#lottery-prize-cap)."""
    if not isinstance(prizes, list) or not prizes:
        return [("prizes", "list")]
    problems = []
    for index, prize in enumerate(prizes):
        path = f"prizes[{index}]"
        if not isinstance(prize, dict):
            problems.append((path, "object"))
            continue
        name, value, count = prize.get("name"), prize.get("value_fen"), prize.get("count")
        if not isinstance(name, str) or not name.strip():
            problems.append((f"{path}.name", "required"))
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append((f"{path}.value", "amount"))
        elif value > LOTTERY_PRIZE_CAP_FEN:
            problems.append((f"{path}.value", "cap"))
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 10_000:
            problems.append((f"{path}.count", "count"))
    return problems


def draw(*, seed: str, eligible: Iterable[int], prizes: Sequence[dict]) -> list[dict]:
    """Reproducible draw: the same seed and the same eligible list give the same winners, whatever order the
    list came in. Prizes are handed out from the most valuable down, one winner per prize unit, nobody
    twice; with fewer eligible buyers than prize units the cheapest units stay unawarded."""
    ids = sorted(set(eligible))
    digest = hashlib.sha256(f"{seed}\n{eligible_hash(ids)}".encode()).hexdigest()
    rng = random.Random(int(digest, 16))
    units = [(prize["name"], prize["value_fen"]) for prize in sorted(prizes, key=lambda p: -p["value_fen"])
             for _ in range(prize["count"])]
    chosen = rng.sample(ids, min(len(ids), len(units)))
    return [{"prize": name, "value_fen": value, "customer_id": cid}
            for (name, value), cid in zip(units, chosen, strict=False)]
