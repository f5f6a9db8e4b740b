"""Traffic (流量): daily visitors by channel × source, and the first purchases they convert into.

GMV = UV × CVR × AOV (docs/rules/metrics.md#gmv-identity): new buyers are drawn as Poisson(UV × CVR) per
date × channel × source, with UV following the calendar (weekly rhythm, 大促 ramps, the 春节 slump), each
channel's growth and its own reaction to campaigns; conversion also rises on campaign days (buyers were
waiting for the price). Returning buyers come from the customer process and add their own visits. The reported
aggregates (``TrafficSpec.buyers``/``paid_fen``) are computed from the generated orders, so they always agree.
Two anomalies are planted for the alerting demo: a JD ads outage day and a Douyin live-stream 爆单 day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from shopops.demo.gen_calendar import Calendar
from shopops.demo.gen_channels import CHANNEL_PLANS, SOURCE_CVR, SOURCE_PV_PER_UV, channel_sources
from shopops.demo.spec import TrafficSpec

UV_LEVEL = 0.52  # calibrates scale=1.0 to ~67k orders a year (DESIGN: >= 50,000)
CAMPAIGN_CVR_LIFT = 0.2  # conversion rises as intensity ** (lift × channel response)
RETURN_VISITS_PER_BUYER = (3.5, 6.5)  # a returning buyer's visits that day, uniform range


@dataclass(frozen=True, slots=True)
class TrafficPlan:
    cells: tuple[tuple[int, str], ...]  # (channel index, source) per column
    cell_index: dict[tuple[int, str], int]
    uv_new: np.ndarray  # [day, cell] new-visitor UV
    new_orders: np.ndarray  # [day, cell] first purchases
    anomalies: tuple[tuple[int, str, str, float], ...]  # (day, channel, source, factor) planted events


def _anomalies(rng: np.random.Generator, calendar: Calendar) -> list[tuple[int, str, str, float]]:
    quiet = [i for i, name in enumerate(calendar.campaign) if not name and 14 <= i < len(calendar.dates) - 3]
    if len(quiet) < 2:
        return []
    days = rng.choice(quiet, size=2, replace=False)
    return [(int(days[0]), "jd", "ads", 0.15), (int(days[1]), "douyin", "live", 3.0)]


def plan_traffic(rng: np.random.Generator, calendar: Calendar, scale: float) -> TrafficPlan:
    n_days = len(calendar.dates)
    cells = tuple((c, src) for c, plan in enumerate(CHANNEL_PLANS) for src in channel_sources(plan))
    cell_index = {cell: i for i, cell in enumerate(cells)}
    years = (np.arange(n_days) - (n_days - 1) / 2) / 365.0
    uv = np.zeros((n_days, len(cells)))
    cvr = np.zeros((n_days, len(cells)))
    for c, plan in enumerate(CHANNEL_PLANS):
        campaign = calendar.intensity**plan.campaign_response
        level = (UV_LEVEL * scale * plan.base_uv * calendar.base * campaign * np.exp(plan.growth * years)
                 * rng.lognormal(0.0, 0.10, n_days))
        lift = calendar.intensity ** (CAMPAIGN_CVR_LIFT * plan.campaign_response)
        mix = dict(plan.sources)
        for src in channel_sources(plan):
            k = cell_index[(c, src)]
            uv[:, k] = level * mix.get(src, 0.0) * rng.lognormal(0.0, 0.06, n_days)
            cvr[:, k] = SOURCE_CVR[src] * plan.cvr_mult * lift
    anomalies = _anomalies(rng, calendar)
    for day, channel, source, factor in anomalies:
        c = next(i for i, p in enumerate(CHANNEL_PLANS) if p.code == channel)
        uv[day, cell_index[(c, source)]] *= factor
    uv_new = np.rint(uv).astype(np.int64)
    new_orders = rng.poisson(uv_new * cvr)
    return TrafficPlan(cells, cell_index, uv_new, new_orders, tuple(anomalies))


def traffic_specs(
    rng: np.random.Generator,
    plan: TrafficPlan,
    dates: tuple[dt.date, ...],
    order_day: np.ndarray,
    order_cell: np.ndarray,
    order_customer: np.ndarray,
    order_paid: np.ndarray,
    order_repeat: np.ndarray,
) -> list[TrafficSpec]:
    """The 生意参谋-style daily rows, with buyers and paid amount aggregated from the orders themselves."""
    n_days, n_cells = plan.uv_new.shape
    flat = order_day * n_cells + order_cell
    paid = np.bincount(flat, weights=order_paid, minlength=n_days * n_cells)
    # distinct paying buyers per (day, cell): a buyer may pay twice the same day on the same source
    span = int(order_customer.max(initial=0)) + 1
    pair = flat.astype(np.int64) * span + order_customer
    buyers = np.bincount(np.unique(pair) // span, minlength=n_days * n_cells)
    repeat_buyers = np.bincount(np.unique(pair[order_repeat]) // span, minlength=n_days * n_cells)
    visits = rng.uniform(*RETURN_VISITS_PER_BUYER, n_days * n_cells)
    uv = np.maximum(plan.uv_new.ravel() + np.rint(repeat_buyers * visits).astype(np.int64), buyers)
    pv_ratio = np.array([SOURCE_PV_PER_UV[src] for _, src in plan.cells])
    pv = np.rint(uv.reshape(n_days, n_cells) * pv_ratio * rng.lognormal(0.0, 0.05, (n_days, n_cells)))
    pv = np.maximum(pv.astype(np.int64).ravel(), uv)
    uv_l, pv_l, buyers_l = uv.tolist(), pv.tolist(), buyers.tolist()
    paid_l = np.rint(paid).astype(np.int64).tolist()
    specs = []
    for d, day in enumerate(dates):
        for k, (c, src) in enumerate(plan.cells):
            i = d * n_cells + k
            specs.append(TrafficSpec(date=day, channel=CHANNEL_PLANS[c].code, source=src, uv=uv_l[i],
                                     pv=pv_l[i], buyers=buyers_l[i], paid_fen=paid_l[i]))
    return specs
