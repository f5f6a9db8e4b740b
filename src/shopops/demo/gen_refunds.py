"""After-sales (售后): refunds and returns with reasons, amounts and outcomes.

Two kinds of after-sales appear in platform exports: cancellations before shipping (未发货仅退款, usually changed
mind or slow dispatch, refunded within minutes — the order closes) and after-delivery requests (七天无理由,
quality, damaged, wrong item…), either 仅退款 (often a partial compensation) or 退货退款 (refunded once the parcel is
back). A refund never exceeds what the buyer paid for the line (its allocated paid amount,
docs/rules/pricing.md#refund-ceiling) or for the order. Rates differ by channel (live commerce returns most)
and category (glass candles break, lip shades disappoint); a request cannot be made after the end of the
world.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.demo import gen_ids
from shopops.demo.gen_catalog import Catalog
from shopops.demo.gen_channels import CHANNEL_PLANS
from shopops.demo.gen_clock import DAY, LocalClock
from shopops.demo.gen_orders import OrderTable
from shopops.demo.gen_random import segment_choice
from shopops.demo.spec import RefundSpec

HOUR = 3_600
REASONS = ("no_reason_7d", "quality", "size", "not_as_described", "wrong_item", "damaged", "changed_mind",
           "late")
REASON_WEIGHTS = np.array([0.30, 0.12, 0.05, 0.12, 0.05, 0.10, 0.16, 0.10])
# Multipliers on reason weights by category code (others 1.0).
REASON_TILT: dict[str, dict[str, float]] = {
    "lipcare": {"not_as_described": 2.5, "size": 2.0},
    "fragrance": {"changed_mind": 1.5, "no_reason_7d": 1.3, "damaged": 1.5},
    "home-fragrance": {"damaged": 3.0},
    "skincare": {"quality": 1.5},
    "suncare": {"quality": 1.5},
    "giftsets": {"damaged": 1.5, "late": 1.5},
}
RETURN_SHARE = {"no_reason_7d": 1.0, "quality": 0.6, "size": 1.0, "not_as_described": 0.7, "wrong_item": 0.9,
                "damaged": 0.35, "changed_mind": 0.8, "late": 0.1}  # share of 退货退款 among requests
AFTER_SALES_RATE = 0.042  # base after-delivery request rate per order
CANCEL_RATE = 0.012  # base pre-shipment cancellation rate per order
CHANNEL_MULT = {"tmall": 1.0, "taobao": 1.0, "jd": 0.85, "douyin": 1.7, "pdd": 1.2, "xiaohongshu": 1.3,
                "own-site": 0.7, "wecom": 0.6, "shopify": 0.9}
CAMPAIGN_MULT = 1.25  # impulse buys on 大促 come back more often
OUTCOME_P = np.array([0.86, 0.06, 0.08])  # success, rejected, closed (buyer withdrew)


@dataclass(frozen=True, slots=True)
class _Draft:
    order: int
    line: int | None
    kind: str
    amount: int
    reason: str
    status: str
    requested: int  # local seconds
    completed: int | None


def _after_sales_reasons(catalog: Catalog) -> np.ndarray:
    """Reason weights per category [n_categories, n_reasons]."""
    rows = []
    for spec in catalog.categories:
        tilt = REASON_TILT.get(spec.code, {})
        rows.append(REASON_WEIGHTS * np.array([tilt.get(r, 1.0) for r in REASONS]))
    return np.array(rows)


def build_refunds(
    rng: np.random.Generator, table: OrderTable, catalog: Catalog, clock: LocalClock
) -> list[_Draft]:
    """The window's after-sales requests, by request time: one uniform per order decides a pre-shipment
    cancellation, an after-delivery request or nothing, then each kind draws its own details from ``rng``
    (cancellations first, so the same seed gives the same refunds)."""
    n = len(table.day)
    codes = [p.code for p in CHANNEL_PLANS]
    first_cat = catalog.sku_category[table.line_sku[table.line_start[:-1]]]
    channel_mult = np.array([CHANNEL_MULT.get(c, 1.0) for c in codes])[table.channel]
    campaign = np.where(table.big_campaign, CAMPAIGN_MULT, 1.0)
    p_cancel = CANCEL_RATE * campaign * np.sqrt(channel_mult)
    p_after = AFTER_SALES_RATE * channel_mult * catalog.category_refund[first_cat] * campaign
    u = rng.random(n)
    cancel = np.flatnonzero(u < p_cancel)
    after = np.flatnonzero((u >= p_cancel) & (u < p_cancel + p_after))
    drafts = _cancellations(rng, table, cancel, clock.end_seconds)
    drafts += _after_delivery(rng, table, catalog, after, first_cat[after], clock.end_seconds)
    drafts.sort(key=lambda d: (d.requested, d.order))
    return drafts


def _settled(requested: int, took: int, status: str, end: int) -> tuple[str, int | None]:
    """(status, completed local seconds): a request not settled when the world ends is still pending."""
    done = int(requested + took)
    if done >= end:
        return "pending", None
    return status, done


def _cancellations(rng: np.random.Generator, table: OrderTable, cancel: np.ndarray, end: int) -> list[_Draft]:
    """Before shipping: the whole order, refund only, money back within the hour (极速退款); a buyer who changed
    her mind cancels within hours, one tired of waiting for dispatch after a day or two."""
    paid = table.paid
    late = rng.random(len(cancel)) >= 0.7
    reason = np.where(late, "late", "changed_mind")
    quick = np.clip(rng.lognormal(np.log(2 * HOUR), 1.0, len(cancel)), 300, 36 * HOUR)
    wait = np.where(late, rng.uniform(24 * HOUR, 60 * HOUR, len(cancel)), quick).astype(np.int64)
    requested = table.paid_sec[cancel] + wait
    took = rng.integers(60, HOUR, len(cancel))
    withdrawn = rng.random(len(cancel)) < 0.05
    drafts = []
    for k, i in enumerate(cancel.tolist()):
        if requested[k] >= end:
            continue
        status, completed = _settled(requested[k], took[k], "closed" if withdrawn[k] else "success", end)
        drafts.append(_Draft(i, None, "refund_only", int(paid[i]), str(reason[k]), status, int(requested[k]),
                             completed))
    return drafts


def _after_delivery(
    rng: np.random.Generator, table: OrderTable, catalog: Catalog, after: np.ndarray, category: np.ndarray,
    end: int,
) -> list[_Draft]:
    """After delivery: a reason by the first line's category, 退货退款 or 仅退款 by reason, asked days after
    payment, settled by the outcome; the amount within ``_Ceilings``. All draws are made for every
    request before any is dropped, so the stream does not depend on the end of the world."""
    m = len(after)
    reason_idx = segment_choice(rng, _after_sales_reasons(catalog), category)
    reasons = [REASONS[r] for r in reason_idx.tolist()]
    ret = rng.random(m) < np.array([RETURN_SHARE[r] for r in reasons])
    delay_days = np.where(reason_idx == REASONS.index("late"), rng.uniform(3, 7, m),
                          np.where(reason_idx == REASONS.index("damaged"), rng.uniform(2, 5, m),
                                   np.minimum(2 + rng.gamma(2.0, 1.6, m), 14)))
    requested = table.paid_sec[after] + (delay_days * DAY).astype(np.int64)
    outcome = segment_choice(rng, OUTCOME_P[None, :], np.zeros(m, dtype=np.int64))
    took = np.where(outcome == 0,
                    np.where(ret, rng.uniform(3 * DAY, 8 * DAY, m), rng.uniform(600, DAY, m)),
                    np.where(outcome == 1, rng.uniform(DAY, 3 * DAY, m), rng.uniform(DAY / 2, 5 * DAY, m)))
    draws = np.stack([rng.random(m) for _ in range(4)], axis=1)  # whole, line, part, unit
    ceilings = _Ceilings.of(table)
    drafts = []
    for k, i in enumerate(after.tolist()):
        if requested[k] >= end:
            continue  # not asked yet when the world ends
        kind = "return_refund" if ret[k] else "refund_only"
        line, amount = ceilings.amount(i, kind, reasons[k], draws[k])
        if amount <= 0:
            continue
        status, completed = _settled(requested[k], took[k], ("success", "rejected", "closed")[int(outcome[k])],
                                     end)
        drafts.append(_Draft(i, line, kind, amount, reasons[k], status, int(requested[k]), completed))
    return drafts


@dataclass(frozen=True, slots=True)
class _Ceilings:
    """What a request may give back (docs/rules/pricing.md#refund-ceiling): per order the goods it paid for,
    per line its allocated paid amount and units. Computed once (``OrderTable``'s properties recompute)."""

    line_start: np.ndarray
    goods_paid: np.ndarray
    line_paid: np.ndarray
    line_qty: np.ndarray

    @classmethod
    def of(cls, table: OrderTable) -> _Ceilings:
        return cls(table.line_start, table.paid - table.shipping, table.line_paid, table.line_qty)

    def amount(self, i: int, kind: str, reason: str, u: np.ndarray) -> tuple[int | None, int]:
        """(line index or None for the whole order, amount in fen) of order ``i``'s request, within the
        ceilings; 仅退款 is often partial: a ¥5–¥30 compensation for late dispatch, else a share agreed with
        the buyer in whole yuan. ``u`` holds the request's uniforms (whole, line, part, unit)."""
        u_whole, u_line, u_part, u_unit = u
        s, e = int(self.line_start[i]), int(self.line_start[i + 1])
        if u_whole < (0.15 if e - s > 1 else 0.2):
            line = None
            amount = int(self.goods_paid[i])
        else:
            line = int(u_line * (e - s))
            amount = int(self.line_paid[s + line])
            qty = int(self.line_qty[s + line])
            if kind == "return_refund" and qty > 1 and u_unit < 0.5:
                amount = amount // qty  # one unit sent back
        if kind == "refund_only":
            if reason == "late":  # 延迟发货 compensation, ¥5–¥30
                amount = min(amount, 500 + int(u_part * 26) * 100)
            else:  # partial 仅退款 agreed with the buyer, in whole yuan
                amount = min(amount, max(100, int(amount * (0.1 + 0.4 * u_part)) // 100 * 100))
        return line, amount


def close_refunded_orders(table: OrderTable, drafts: list[_Draft]) -> None:
    """A whole-order refund of everything paid for the goods closes the trade (交易关闭)."""
    goods_paid = table.goods - table.discount
    for d in drafts:
        if d.line is None and d.status == "success" and d.amount >= goods_paid[d.order]:
            table.status[d.order] = "closed"


def refund_specs(
    rng: np.random.Generator, drafts: list[_Draft], table: OrderTable, clock: LocalClock
) -> list[RefundSpec]:
    codes = [p.code for p in CHANNEL_PLANS]
    requested_at = clock.to_utc([d.requested for d in drafts])
    completed_at = clock.to_utc([d.completed for d in drafts if d.completed is not None])
    dates = clock.local_dates([d.requested for d in drafts])
    numbers = [""] * len(drafts)
    taken: set[str] = set()
    channel = [int(table.channel[d.order]) for d in drafts]
    for c, code in enumerate(codes):
        idx = [k for k, ch in enumerate(channel) if ch == c]
        numbers_c = gen_ids.refund_numbers(rng, code, [dates[k] for k in idx], taken)
        for k, number in zip(idx, numbers_c, strict=True):
            numbers[k] = number
    specs = []
    done = iter(completed_at)
    for k, d in enumerate(drafts):
        specs.append(RefundSpec(
            refund_no=numbers[k], order_no=table.order_no[d.order], channel=codes[channel[k]],
            line_index=d.line, kind=d.kind, amount_fen=d.amount, reason=d.reason, status=d.status,
            requested_at=requested_at[k],
            completed_at=next(done) if d.completed is not None else None))
    return specs
