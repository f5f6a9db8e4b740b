"""Replenishment: safety stock, reorder point, order-up-to level, MOQ and case-pack rounding.

Pure domain code: numpy and the standard library only (no Django, no ORM, no I/O). Every function works
on scalars or on arrays (one entry per SKU; scalars broadcast), so one call plans 10,000 SKUs.

Formulas (docs/rules/inventory-science.md; Snyder & Shen, *Fundamentals of Supply Chain Theory* 2nd ed. 2019;
Silver, Pyke & Thomas, *Inventory and Production Management in Supply Chains* 4th ed. 2017). Demand per
day and lead time in days:

- σ over the lead time:   σ_DL = sqrt(L·σ_d² + d²·σ_L²)   (demand and lead-time variability; law of
  total variance)
- z = Φ⁻¹(service level)  (cycle service level: the probability of no stockout in a replenishment cycle)
- safety stock            SS  = z·σ_DL
- reorder point           ROP = d·L + SS
- order-up-to level       S   = ROP + d·R   (R = review period: the days until the next replenishment run,
  so an order covers the lead time plus the time until the next chance to reorder — an (R, s, S) policy
  with s = ROP)
- inventory position      P   = on_hand + in_transit − reserved − backorders
  ``on_hand`` counts the physical units (reserved units included); ``reserved`` are units promised to open
  orders that will leave; ``backorders`` are units owed to customers with no stock behind them. So
  P = available + in_transit − backorders when available = on_hand − reserved.
- raw quantity            q   = S − P when P ≤ ROP, else 0
- suggested quantity      q rounded **up** to whole case packs, and at least the MOQ (itself rounded up to
  case packs); 0 when q ≤ 0. Never a fraction of a unit.

Public API (stable)
-------------------
``z_for(service_level)`` → z per SKU.
``lead_time_sigma(*, demand_daily, sigma_daily, lead_time_days, lead_time_sigma_days=0)`` → σ_DL.
``safety_stock(*, demand_daily, sigma_daily, lead_time_days, lead_time_sigma_days=0, service_level)``.
``reorder_point(*, ...same...)`` → d·L + SS.
``round_order_qty(raw, *, moq=0, case_pack=1)`` → whole units (int64).
``plan_replenishment(*, on_hand, demand_daily, sigma_daily, lead_time_days, in_transit=0, reserved=0,
                     backorders=0, lead_time_sigma_days=0, review_days=0, service_level=0.95, moq=0,
                     case_pack=1) -> ReplenishmentPlan``
    Arrays for every SKU: position, safety_stock, reorder_point, order_up_to, raw_qty, suggested_qty,
    reason (a code), days_of_cover; ``plan.row(i)`` gives one SKU as a dict with ``reason`` and
    ``reason_params`` (numbers), which the caller translates (pure code cannot use gettext).
    ``explain(code, params)`` gives a reason as an English gettext text that the faces say in the user's language.

Reason codes: ``no_demand`` (no forecast demand and nothing owed: 0), ``above_reorder_point`` (P > ROP:
0), ``covered`` (P ≤ ROP but already at the order-up-to level: 0), ``reorder`` (P ≤ ROP: order S − P,
rounded up to case packs), ``reorder_moq`` (as ``reorder``, raised to the MOQ).

``demand_daily`` should be the forecast's mean daily demand over L + R (``ForecastBatch.daily_demand``),
so a campaign inside the lead time raises the order; ``sigma_daily`` is the forecast's σ.

Errors: negative or non-finite inputs, a service level outside (0, 1), a case pack below 1 raise
``ValueError`` (services validate user input first and raise ``InvalidInput``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from shopops.core.text import Text, gettext_noop

NO_DEMAND = "no_demand"
ABOVE_REORDER_POINT = "above_reorder_point"
COVERED = "covered"
REORDER = "reorder"
REORDER_MOQ = "reorder_moq"
REASONS = (NO_DEMAND, ABOVE_REORDER_POINT, COVERED, REORDER, REORDER_MOQ)

_EPS = 1e-9


def _arr(value: Any, name: str, *, allow_zero: bool = True) -> np.ndarray:
    a = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite")
    if np.any(a < 0) or (not allow_zero and np.any(a == 0)):
        raise ValueError(f"{name} must be {'≥ 0' if allow_zero else '> 0'}")
    return a


def z_for(service_level: Any) -> np.ndarray:
    """z = Φ⁻¹(service level) for a cycle service level in (0, 1), element-wise."""
    sl = np.asarray(service_level, dtype=float)
    if not np.all((sl > 0) & (sl < 1)):
        raise ValueError("service_level must be in (0, 1)")
    values, inverse = np.unique(sl, return_inverse=True)
    dist = NormalDist()
    z = np.array([dist.inv_cdf(float(v)) for v in values])
    return z[inverse].reshape(sl.shape)


def lead_time_sigma(
    *, demand_daily: Any, sigma_daily: Any, lead_time_days: Any, lead_time_sigma_days: Any = 0
) -> np.ndarray:
    """σ_DL = sqrt(L·σ_d² + d²·σ_L²) (docs/rules/inventory-science.md#lead-time-demand)."""
    d = _arr(demand_daily, "demand_daily")
    sd = _arr(sigma_daily, "sigma_daily")
    lt = _arr(lead_time_days, "lead_time_days")
    slt = _arr(lead_time_sigma_days, "lead_time_sigma_days")
    return np.sqrt(lt * sd**2 + d**2 * slt**2)


def safety_stock(
    *,
    demand_daily: Any,
    sigma_daily: Any,
    lead_time_days: Any,
    lead_time_sigma_days: Any = 0,
    service_level: Any,
) -> np.ndarray:
    """SS = z·sqrt(L·σ_d² + d²·σ_L²). A service level below 0.5 gives a negative z; SS is then floored at 0."""
    sigma = lead_time_sigma(
        demand_daily=demand_daily, sigma_daily=sigma_daily, lead_time_days=lead_time_days,
        lead_time_sigma_days=lead_time_sigma_days,
    )
    return np.maximum(z_for(service_level) * sigma, 0.0)


def reorder_point(
    *,
    demand_daily: Any,
    sigma_daily: Any,
    lead_time_days: Any,
    lead_time_sigma_days: Any = 0,
    service_level: Any,
) -> np.ndarray:
    """ROP = d·L + SS."""
    ss = safety_stock(
        demand_daily=demand_daily, sigma_daily=sigma_daily, lead_time_days=lead_time_days,
        lead_time_sigma_days=lead_time_sigma_days, service_level=service_level,
    )
    return np.asarray(demand_daily, dtype=float) * np.asarray(lead_time_days, dtype=float) + ss


def round_order_qty(raw: Any, *, moq: Any = 0, case_pack: Any = 1) -> np.ndarray:
    """Whole units to order for a raw need: 0 if raw ≤ 0, else ceil to case packs and at least the MOQ.

    The MOQ is itself rounded up to whole case packs (a supplier ships whole cases). int64 result.
    """
    r = np.asarray(raw, dtype=float)
    m = _arr(moq, "moq")
    cp = np.asarray(case_pack, dtype=float)
    if np.any(cp < 1) or np.any(cp != np.floor(cp)):
        raise ValueError("case_pack must be a whole number ≥ 1")
    packs = np.ceil(r / cp - _EPS)
    moq_packs = np.ceil(m / cp - _EPS)
    qty = np.where(r > _EPS, np.maximum(packs, moq_packs) * cp, 0.0)
    return qty.astype(np.int64)


@dataclass(slots=True)
class ReplenishmentPlan:
    position: np.ndarray  # on_hand + in_transit − reserved − backorders
    demand_daily: np.ndarray
    sigma_daily: np.ndarray
    lead_time_days: np.ndarray
    review_days: np.ndarray
    service_level: np.ndarray
    z: np.ndarray
    safety_stock: np.ndarray  # z·σ_DL (lead time)
    reorder_point: np.ndarray  # d·L + SS
    order_up_to: np.ndarray  # ROP + d·R
    raw_qty: np.ndarray  # S − P when P ≤ ROP, else 0 (fractional units)
    suggested_qty: np.ndarray  # int64, case packs and MOQ applied
    moq: np.ndarray
    case_pack: np.ndarray
    reason: np.ndarray  # reason codes (str)
    days_of_cover: np.ndarray  # P / d (inf when d = 0)

    def __len__(self) -> int:
        return len(self.reason)

    def counts(self) -> dict[str, int]:
        values, counts = np.unique(self.reason.astype(str), return_counts=True)
        return {str(v): int(c) for v, c in zip(values, counts, strict=True)}

    def row(self, i: int) -> dict[str, Any]:
        """One SKU: numbers rounded for display (units to 2 places), the reason code and its parameters."""

        def num(a: np.ndarray, places: int = 2) -> float | int | None:
            v = float(a[i])
            if math.isinf(v):
                return None
            return int(v) if v.is_integer() else round(v, places)

        params = {
            "position": num(self.position),
            "reorder_point": num(self.reorder_point),
            "order_up_to": num(self.order_up_to),
            "safety_stock": num(self.safety_stock),
            "raw_qty": num(self.raw_qty),
            "qty": int(self.suggested_qty[i]),
            "moq": num(self.moq),
            "case_pack": int(self.case_pack[i]),
            "demand_daily": num(self.demand_daily, 4),
            "days_of_cover": num(self.days_of_cover, 1),
        }
        return {
            "demand_daily": params["demand_daily"],
            "sigma_daily": num(self.sigma_daily, 4),
            "safety_stock": params["safety_stock"],
            "reorder_point": params["reorder_point"],
            "order_up_to": params["order_up_to"],
            "position": params["position"],
            "suggested_qty": params["qty"],
            "reason": str(self.reason[i]),
            "reason_params": params,
        }


def plan_replenishment(
    *,
    on_hand: Any,
    demand_daily: Any,
    sigma_daily: Any,
    lead_time_days: Any,
    in_transit: Any = 0,
    reserved: Any = 0,
    backorders: Any = 0,
    lead_time_sigma_days: Any = 0,
    review_days: Any = 0,
    service_level: Any = 0.95,
    moq: Any = 0,
    case_pack: Any = 1,
) -> ReplenishmentPlan:
    """Plan every SKU at once (scalars broadcast). See the module docstring for the definitions."""
    on_hand_a = np.asarray(on_hand, dtype=float)
    if not np.all(np.isfinite(on_hand_a)):
        raise ValueError("on_hand must be finite")
    in_transit_a = _arr(in_transit, "in_transit")
    reserved_a = _arr(reserved, "reserved")
    backorders_a = _arr(backorders, "backorders")
    d = _arr(demand_daily, "demand_daily")
    sd = _arr(sigma_daily, "sigma_daily")
    lt = _arr(lead_time_days, "lead_time_days")
    slt = _arr(lead_time_sigma_days, "lead_time_sigma_days")
    rv = _arr(review_days, "review_days")
    sl = np.asarray(service_level, dtype=float)
    m = _arr(moq, "moq")
    cp = np.asarray(case_pack, dtype=float)
    (on_hand_a, in_transit_a, reserved_a, backorders_a, d, sd, lt, slt, rv, sl, m, cp) = np.broadcast_arrays(
        np.atleast_1d(on_hand_a), in_transit_a, reserved_a, backorders_a, d, sd, lt, slt, rv, sl, m, cp
    )
    z = z_for(sl)
    ss = np.maximum(z * np.sqrt(lt * sd**2 + d**2 * slt**2), 0.0)
    rop = d * lt + ss
    up_to = rop + d * rv
    position = on_hand_a + in_transit_a - reserved_a - backorders_a
    below = position <= rop + _EPS
    raw = np.where(below, up_to - position, 0.0)
    raw = np.where(raw > _EPS, raw, 0.0)
    qty = round_order_qty(raw, moq=m, case_pack=cp)
    by_packs = np.where(raw > 0, np.ceil(raw / cp - _EPS) * cp, 0.0)
    reason = np.full(position.shape, COVERED, dtype=object)
    reason[~below] = ABOVE_REORDER_POINT
    reason[qty > 0] = REORDER
    reason[(qty > 0) & (qty > by_packs + _EPS)] = REORDER_MOQ
    reason[(qty == 0) & (d == 0) & (sd == 0)] = NO_DEMAND
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(d > 0, position / np.where(d > 0, d, 1.0), np.inf)
    return ReplenishmentPlan(
        position=position, demand_daily=d, sigma_daily=sd, lead_time_days=lt, review_days=rv,
        service_level=sl, z=z, safety_stock=ss, reorder_point=rop, order_up_to=up_to, raw_qty=raw,
        suggested_qty=qty, moq=m, case_pack=cp.astype(np.int64), reason=reason.astype(str),
        days_of_cover=cover,
    )


def explain(code: str, params: dict[str, Any]) -> Text:
    """A reason code with its parameters as an English ``Text``; a face says it in the user's language
    (``core.i18n.say``: the Chinese comes from the catalog)."""
    if code == NO_DEMAND:
        return gettext_noop("No forecast demand: no order.")
    if code == ABOVE_REORDER_POINT:
        return gettext_noop("Stock position %(position)s is above the reorder point %(reorder_point)s: no order.",
                            **params)
    if code == COVERED:
        return gettext_noop("Stock position %(position)s already reaches the order-up-to level %(order_up_to)s: "
                            "no order.", **params)
    if code == REORDER:
        return gettext_noop("Stock position %(position)s is at or below the reorder point %(reorder_point)s: "
                            "order %(qty)s to reach %(order_up_to)s (need %(raw_qty)s, case pack %(case_pack)s).",
                            **params)
    return gettext_noop("Stock position %(position)s is at or below the reorder point %(reorder_point)s: need "
                        "%(raw_qty)s, order %(qty)s (minimum order quantity %(moq)s, case pack %(case_pack)s).",
                        **params)
