"""Promotion-aware anomaly detection for daily metrics — pure maths, no Django, no I/O.

The rule behind the daily ``shopops alerts run`` (docs/rules/analytics.md#anomaly-alerts and
docs/rules/analytics.md#promotion-aware-baselines):

* **Baseline days.** An ordinary day ``D`` is compared with the same weekday of the previous 8 weeks
  (``D-7``, ``D-14``, … ``D-56``), leaving out every promotion day, so a 会员日 or the 双11 main period never
  inflates an ordinary Tuesday's baseline. A promotion day is compared with earlier promotion days (up to
  :data:`PROMO_LOOKBACK_DAYS` back, so last year's 双11 counts) of the same kind where possible. Its *role*
  is ``peak`` when it opens or closes a run of one of its promotions (双11's 11-11, 618's 6-18, the first
  hours of a main period, every one-day 会员日) and ``body`` otherwise (the days in between). The baseline is,
  in order of preference, the most recent :data:`PROMO_BASELINE_DAYS` earlier days with a shared promotion
  name and the same role (``promotion_same``), with the same role (``promotion_similar``), or any promotion
  day (``promotion_any``) — the first with at least :data:`MIN_BASELINE` days. The weekday is not aligned
  there (the promotion effect dwarfs the weekday effect). This is the "seasonality-aware alerts with promo
  calendars" gap of docs/rules/analytics.md#promotion-aware-baselines.
* **Score.** Robust z-score against the baseline: ``z = (x − median) / (1.4826 · MAD)`` — the median/MAD
  z-score vs a same-weekday baseline that PostHog adopted for its anomaly alerts
  (docs/rules/analytics.md#anomaly-alerts, PR #62037); 1.4826 makes the MAD a consistent estimator of σ under
  normality. When the MAD is 0 (a flat baseline) or tiny, the scale is floored at :data:`REL_SCALE_FLOOR` ×
  |median| so a constant history does not turn a 1 % wobble into an infinite z.
* **Alert.** ``|z| ≥`` :data:`Z_ALERT` (3.5, the usual cut-off for the modified z-score, Iglewicz & Hoaglin
  1993) **and** a relative change of at least :data:`MIN_CHANGE` (operators ignore a 5 % move, however
  "significant"), on a baseline with enough volume (:data:`MIN_VOLUME`), from at least :data:`MIN_BASELINE`
  baseline days. Severity: a move in the bad direction is ``warning`` (``critical`` when ``|z| ≥``
  :data:`Z_CRITICAL` and the change is at least :data:`CRITICAL_CHANGE`); a move in the good direction is
  ``info`` (worth knowing, nothing to fix).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median

MAD_SCALE = 1.4826
Z_ALERT = 3.5
Z_CRITICAL = 5.0
MIN_CHANGE = 0.2
CRITICAL_CHANGE = 0.5
REL_SCALE_FLOOR = 0.05
MIN_BASELINE = 3
WEEKS_BACK = 8
PROMO_LOOKBACK_DAYS = 400
PROMO_BASELINE_DAYS = 8

# Metrics whose rise is bad news (the rest: a fall is bad news).
HIGHER_IS_WORSE = frozenset({"refund_rate", "refund_amount", "bounce_rate"})

# Smallest baseline median worth judging, per metric (counts in people/orders, money in fen); rates are judged
# only when their denominators are large enough, which the caller checks through ``volume``.
MIN_VOLUME: dict[str, float] = {
    "uv": 20, "pv": 50, "buyers": 5, "orders": 5, "gmv": 50_000, "refund_amount": 10_000,
}
MIN_RATE_DENOMINATOR = 20  # visitors (cvr, bounce_rate…) or buyers (aov) behind a rate


@dataclass(frozen=True)
class Baseline:
    """The days a day is judged against, and why."""

    day: dt.date
    days: tuple[dt.date, ...]
    kind: str  # "weekday" | "promotion_same" | "promotion_similar" | "promotion_any"
    promotion: tuple[str, ...] = ()
    role: str = ""  # "peak" | "body" for a promotion day


def promotion_role(day: dt.date, promotions: Mapping[dt.date, Sequence[str]]) -> str:
    """``peak`` when ``day`` opens or closes a run of one of its promotions, else ``body`` ("" when none).

    ``promotions`` must cover the day before and the day after ``day`` to tell.
    """
    names = promotions.get(day, ())
    if not names:
        return ""
    one = dt.timedelta(days=1)
    before, after = promotions.get(day - one, ()), promotions.get(day + one, ())
    return "peak" if any(n not in before or n not in after for n in names) else "body"


def baseline_days(day: dt.date, promotions: Mapping[dt.date, Sequence[str]], *,
                  first_day: dt.date | None = None) -> Baseline:
    """The baseline days of ``day`` (see the module docstring); ``first_day`` is the first day with data.

    ``promotions``: the promotion days from :data:`PROMO_LOOKBACK_DAYS` + 1 before ``day`` to the day after.
    """
    names = tuple(promotions.get(day, ()))
    earliest = first_day or dt.date.min
    if not names:
        days = tuple(d for d in (day - dt.timedelta(weeks=k) for k in range(1, WEEKS_BACK + 1))
                     if d >= earliest and not promotions.get(d))
        return Baseline(day, days, "weekday")
    role = promotion_role(day, promotions)
    past = sorted((d for d, n in promotions.items()
                   if n and d < day and d >= max(earliest, day - dt.timedelta(days=PROMO_LOOKBACK_DAYS))),
                  reverse=True)
    same_role = [d for d in past if promotion_role(d, promotions) == role]
    same = [d for d in same_role if set(promotions[d]) & set(names)]
    for kind, days in (("promotion_same", same), ("promotion_similar", same_role)):
        if len(days) >= MIN_BASELINE:
            return Baseline(day, tuple(days[:PROMO_BASELINE_DAYS]), kind, names, role)
    return Baseline(day, tuple(past[:PROMO_BASELINE_DAYS]), "promotion_any", names, role)


@dataclass(frozen=True)
class Score:
    value: float
    baseline: float  # the median of the baseline values
    mad: float
    z: float
    change: float | None  # relative change vs the baseline median (None when the median is 0)
    n: int  # baseline values used


def robust_score(value: float, history: Iterable[float | None]) -> Score | None:
    """Median/MAD z-score of ``value`` against ``history`` (days without a value are skipped); None with fewer
    than :data:`MIN_BASELINE` values."""
    values = [float(v) for v in history if v is not None]
    if len(values) < MIN_BASELINE:
        return None
    med = median(values)
    mad = median(abs(v - med) for v in values)
    scale = max(MAD_SCALE * mad, REL_SCALE_FLOOR * abs(med))
    diff = float(value) - med
    if scale == 0:
        z = 0.0 if diff == 0 else (float("inf") if diff > 0 else float("-inf"))
    else:
        z = diff / scale
    change = diff / abs(med) if med else None
    return Score(float(value), med, mad, z, change, len(values))


@dataclass(frozen=True)
class Verdict:
    alert: bool
    direction: str  # "up" | "down" | "flat"
    severity: str  # "info" | "warning" | "critical" ("" when no alert)
    reason: str = ""  # why no alert: "few_days" | "low_volume" | "within_range"
    extra: dict = field(default_factory=dict)


def judge(metric: str, score: Score | None, *, volume: float | None = None) -> Verdict:
    """Is ``score`` an anomaly for ``metric``? ``volume``: the rate's denominator (baseline median) if a rate."""
    if score is None:
        return Verdict(False, "flat", "", "few_days")
    direction = "up" if score.value > score.baseline else "down" if score.value < score.baseline else "flat"
    floor = MIN_VOLUME.get(metric)
    if floor is not None and max(score.baseline, score.value) < floor:
        return Verdict(False, direction, "", "low_volume")
    if floor is None and volume is not None and volume < MIN_RATE_DENOMINATOR:
        return Verdict(False, direction, "", "low_volume")
    change = score.change
    big_move = change is None or abs(change) >= MIN_CHANGE
    if abs(score.z) < Z_ALERT or not big_move:
        return Verdict(False, direction, "", "within_range")
    bad = (direction == "up") == (metric in HIGHER_IS_WORSE)
    if not bad:
        return Verdict(True, direction, "info")
    critical = abs(score.z) >= Z_CRITICAL and (change is None or abs(change) >= CRITICAL_CHANGE)
    return Verdict(True, direction, "critical" if critical else "warning")
