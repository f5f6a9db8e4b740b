"""Pure inventory rules: no ORM, no I/O.

- channel allocation (how many units each channel may publish), docs/rules/inventory.md#channel-allocation:
  store sync = available (+ presale) × ratio, **rounded down** so the channels together never publish more
  than exists;
- purchase-order status from its lines;
- stock-alert classification (days of cover against lead time, overstock, slow movers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from shopops.core.domain import MAX_STOCK_QTY

API_MOVE_TYPES = ("receipt", "adjustment", "count")
MAX_QTY = MAX_STOCK_QTY  # one move or reservation (the shared bound of core.domain)
MAX_TTL_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class ChannelRuleSpec:
    """One channel's publishing rule. ``ratio`` in 0..1 of the sellable units, ``cap`` an absolute ceiling,
    lower ``priority`` served first, ``presale`` extra units sold against stock in transit."""

    channel: str
    ratio: Decimal = Decimal(1)
    cap: int | None = None
    priority: int = 100
    presale: int = 0


@dataclass(frozen=True, slots=True)
class ChannelQty:
    channel: str
    qty: int  # to publish: stock share + presale
    stock: int  # units backed by available stock
    presale: int  # units backed by stock in transit


def allocate_channels(
    *, available: int, in_transit: int, buffer: int, rules: list[ChannelRuleSpec]
) -> list[ChannelQty]:
    """Split a SKU's sellable stock between channels without ever publishing more than exists.

    sellable = max(0, available − buffer). Channels are served in priority order (then by name); each takes
    ⌊sellable × ratio⌋ (floor, docs/rules/inventory.md#channel-allocation: "we should floor to avoid
    oversell"), no more than its cap and no more than what is left. Units left by the rounding go one at a
    time to channels in priority order that are below both their ratio's ceiling and their cap. Presale units
    come from stock in transit, the same way. So Σ stock ≤ sellable and Σ presale ≤ in_transit, always.
    """
    sellable = max(0, available - max(0, buffer))
    ordered = sorted(rules, key=lambda r: (r.priority, r.channel))
    stock = _split(sellable, ordered)
    transit_left = max(0, in_transit)
    out = []
    for rule, units in zip(ordered, stock, strict=True):
        presale = min(max(0, rule.presale), transit_left)
        transit_left -= presale
        out.append(ChannelQty(rule.channel, units + presale, units, presale))
    return out


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _split(total: int, rules: list[ChannelRuleSpec]) -> list[int]:
    left = total
    shares = []
    ceilings = []
    for rule in rules:
        ratio = min(max(rule.ratio, Decimal(0)), Decimal(1))
        ceiling = _floor(Decimal(total) * ratio) if ratio < 1 else total
        if rule.cap is not None:
            ceiling = min(ceiling, max(0, rule.cap))
        share = min(ceiling, left)
        left -= share
        shares.append(share)
        ceilings.append(ceiling)
    # Rounding leftovers: a ratio of 1/3 on 10 units floors to 3; the tenth unit goes to the first channel by
    # priority whose ratio would allow it (⌈total × ratio⌉) and whose cap is not reached.
    for index, rule in enumerate(rules):
        if left <= 0:
            break
        ratio = min(max(rule.ratio, Decimal(0)), Decimal(1))
        upper = math.ceil(Decimal(total) * ratio)
        if rule.cap is not None:
            upper = min(upper, rule.cap)
        extra = min(left, max(0, upper - shares[index]))
        shares[index] += extra
        left -= extra
    return shares


def po_status(lines: list[tuple[int, int]], current: str) -> str:
    """The status of a purchase order from its lines' (ordered, received); drafts and cancelled ones stay."""
    if current in ("draft", "cancelled"):
        return current
    received = sum(r for _o, r in lines)
    ordered = sum(o for o, _r in lines)
    if received <= 0:
        return "ordered"
    return "received" if received >= ordered else "partly_received"


@dataclass(frozen=True, slots=True)
class AlertInput:
    sku: str
    available: int
    in_transit: int
    daily_demand: float  # units per day (recent average or forecast)
    lead_time_days: float
    sold_last_30: int
    days_listed: int = 999


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str  # stockout_risk | overstock | slow_mover
    sku: str
    severity: str
    days_of_cover: float | None


OVERSTOCK_DAYS = 180
SLOW_MOVER_MIN_STOCK = 1


def days_of_cover(stock: int, daily_demand: float) -> float | None:
    """How many days the stock lasts at the given demand (None when nothing sells)."""
    if daily_demand <= 0:
        return None
    return stock / daily_demand


def classify(item: AlertInput) -> list[Alert]:
    """Stock alerts for one SKU (the operator's to-do list).

    - stockout risk: days of cover (available + in transit) below the supplier's lead time; critical when
      stock is already out or covers less than half the lead time;
    - overstock: more than ``OVERSTOCK_DAYS`` days of cover;
    - slow mover: stock on hand but nothing sold in 30 days (for SKUs listed at least 30 days).
    """
    alerts = []
    stock = item.available + item.in_transit
    cover = days_of_cover(stock, item.daily_demand)
    if cover is not None and cover < item.lead_time_days:
        critical = item.available <= 0 or cover < item.lead_time_days / 2
        alerts.append(Alert("stockout_risk", item.sku, "critical" if critical else "warning", cover))
    if cover is not None and cover > OVERSTOCK_DAYS:
        alerts.append(Alert("overstock", item.sku, "info", cover))
    if item.sold_last_30 == 0 and item.available >= SLOW_MOVER_MIN_STOCK and item.days_listed >= 30:
        alerts.append(Alert("slow_mover", item.sku, "info", None))
    return alerts
