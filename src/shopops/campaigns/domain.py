"""Pure campaign rules: no ORM, no I/O (docs/architecture.md: a domain module imports no Django and nothing of another app).

What lives here:

- the campaign's phases (预热 warm-up → 正式 main → 返场 return) and store-theme occurrences (会员日…);
- per-channel cost parameters (the margin simulation that uses them, with the pricing engine, is
  ``campaigns.simulation``: a domain module imports nothing of another app);
- the post-mortem arithmetic (weekday-aligned baseline, incremental GMV) and the lottery (抽奖) draw with its
  ¥50,000 cap (docs/rules/campaigns.md#lottery-prize-cap).

"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
    """A display ratio (rates are numbers in 0..1 at the edges, docs/architecture.md#data); None when undefined."""
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
