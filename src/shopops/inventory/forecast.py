"""Daily demand forecasts per SKU: demand classes, model choice, campaign uplift, rolling-origin backtest.

Pure domain code: numpy + statsforecast's model classes, no Django, no ORM, no I/O.
statsforecast (≈1.2 s to import, it pulls statsmodels) is imported lazily inside the functions that fit
models, so importing this module costs nothing at Django start-up. statsforecast 2.x has a C++ core; it
does not use numba, so there is no JIT cache to configure.

Public API (stable; the inventory services call these)
------------------------------------------------------
``classify_demand(y) -> DemandClassification``
    ADI / CV² classification of one history (Syntetos, Boylan & Croston 2005 cut-offs ADI 1.32, CV² 0.49;
    docs/rules/inventory-science.md#demand-classes): ``smooth`` (ADI ≤ 1.32, CV² ≤ 0.49), ``erratic``
    (ADI ≤ 1.32, CV² > 0.49), ``intermittent`` (ADI > 1.32, CV² ≤ 0.49), ``lumpy`` (ADI > 1.32, CV² > 0.49),
    and ``none`` when the history holds no demand at all. ADI is the mean inter-demand interval, the first
    interval counted from the start of the history (as statsforecast's ``_intervals`` and R tsintermittent's
    ``idclass``); CV² = (sample sd / mean)² of the non-zero demand sizes (0 with a single demand).
``classify_many(Y) -> (classes, adi, cv2)``
    The same, vectorised over a 2-D array (one row per SKU).
``forecast_many(Y, *, h=28, level=80, history_mask=None, history_uplift=None, future_uplift=None,
               policy=None, model=None, ids=None) -> ForecastBatch``
    Forecasts every row of ``Y`` (SKUs × days, oldest day first, all rows ending on the same day).
    Leading NaNs are days before the SKU was on sale (trimmed); other NaNs are unknown days (treated like
    masked days). Returns per SKU: model used, demand class, ADI, CV², ``mean``/``lower``/``upper`` per
    horizon day (shape SKUs × h; the interval is the central ``level`` % one), and ``sigma``: the daily σ of
    the one-step forecast error that safety stock uses (replenishment.py).
``forecast_series(y, **kw) -> SkuForecast``
    One SKU, same keywords.
``backtest(Y, *, h=7, n_windows=4, step=None, history_mask=None, policy=None, model=None,
          season_length=7) -> BacktestResult``
    Rolling-origin evaluation: WAPE and MASE of our forecasts and of the seasonal-naive (7-day) baseline on
    the same windows.

Model choice by class (``DEFAULT_POLICY``; override per class with ``policy=`` or for all with ``model=``)
------------------------------------------------------------------------------------------------------
- ``smooth`` / ``erratic`` → ``seasonal_es``: statsforecast ``SeasonalExponentialSmoothingOptimized``
  with a weekly season (7): one exponentially smoothed level per weekday, α optimised per series. It
  captures the weekday pattern of shop sales and costs ≈0.05 ms per series; ``AutoETS(season_length=7)``
  (``model="ets"``) is available, but measured here it costs ≈100–150 ms per 365-day series (≈8 min for
  the 4,890 frequent SKUs of the 10,000-SKU benchmark), far beyond its 60 s budget, so it is an
  option for a few SKUs (the SKU page), not the default. benchmarks/forecast_replenish.py: all 10,000 SKUs
  × 365 days forecast and planned in ≈0.5 s (plus ≈1 s for the first statsforecast import), with a lower
  WAPE / MASE than the seasonal-naive baseline in its rolling-origin backtest.
- ``intermittent`` → ``sba``: ``CrostonSBA`` (Croston × 0.95). Croston's method is biased upwards; the
  Syntetos–Boylan approximation removes most of that bias and the SBC classification recommends it for
  ADI > 1.32 (Syntetos, Boylan & Croston 2005).
- ``lumpy`` → ``tsb``: ``TSB(alpha_d=0.1, alpha_p=0.1)`` (Teunter, Syntetos & Babai 2011). It updates the
  demand probability every day, not only on demand days, so a lumpy SKU that stops selling sees its
  forecast decay (obsolescence) instead of ordering the old rate forever, which Croston/SBA would do.
  α = 0.1 is the Croston classic smoothing constant. ``ADIDA`` (``"adida"``) and ``CrostonClassic``
  (``"croston"``) are available too; ADIDA's in-sample fit costs ≈5 ms per series in statsforecast 2.1.
- fewer than ``MIN_HISTORY`` (14) days of history → ``mean`` (the mean of what there is); no demand at all
  → ``zero``.

Intervals and σ
---------------
σ (``sigma``) is the root mean square of the one-step in-sample errors (statsforecast's fitted values),
ignoring masked (campaign / unknown) days and the first ``season`` days. The interval is the normal
approximation mean ± z·σ clipped at 0 (z for the central ``level``): Croston-type methods have no
stochastic model, so they have no model-based intervals (Hyndman, forecast #380,
docs/rules/inventory-science.md#forecast-intervals); for ``ets`` the model's own intervals are used.

Campaign days
-------------
- Past: ``history_mask`` (bool, SKUs × days) marks campaign days whose sales must not teach the model the
  everyday rate. A masked day is replaced by the same weekday one week earlier (already cleaned), or by
  the SKU's mean over unmasked days in the first week. ``history_uplift`` (float > 0, same shape, 1 =
  normal) divides known uplifted days instead: y / uplift.
- Estimated: ``promotion_uplift(Y, promo_history, promo_future, groups=)`` turns the shop's promotion days
  (campaigns.selectors.promotion_days: platform events such as 双11/618, store themes, the shop's own
  campaigns) into both arrays: ``estimate_uplift`` takes each SKU's ratio of sales on past promotion days
  to the ordinary days around them (±14 days), shrunk toward its category's pooled ratio when the SKU has
  little evidence; the inventory selectors use it for the replenishment plan and the SKU page.
- Future: ``future_uplift`` (float ≥ 0, shape h or SKUs × h, 1 = normal) multiplies mean, lower and upper
  of each horizon day (e.g. 3.0 on 双11). σ stays the everyday σ; ``ForecastBatch.daily_demand`` averages
  the uplifted means over a window (a campaign inside the lead time raises the reorder point).

Errors: wrong shapes or values raise ``ValueError`` (programming errors; services validate user input
first and raise ``InvalidInput``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import NormalDist
from typing import Any

import numpy as np

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49
SEASON = 7
MIN_HISTORY = 14
DEFAULT_H = 28
DEFAULT_LEVEL = 80


class DemandClass(StrEnum):
    SMOOTH = "smooth"
    ERRATIC = "erratic"
    INTERMITTENT = "intermittent"
    LUMPY = "lumpy"
    NONE = "none"  # no demand in the history


MODELS = ("seasonal_es", "ets", "sba", "croston", "tsb", "adida", "mean", "zero")

DEFAULT_POLICY: Mapping[DemandClass, str] = {
    DemandClass.SMOOTH: "seasonal_es",
    DemandClass.ERRATIC: "seasonal_es",
    DemandClass.INTERMITTENT: "sba",
    DemandClass.LUMPY: "tsb",
    DemandClass.NONE: "zero",
}


# --------------------------------------------------------------------------------------------------------
# classification


@dataclass(frozen=True, slots=True)
class DemandClassification:
    demand_class: DemandClass
    adi: float  # mean inter-demand interval in days (inf when there is no demand)
    cv2: float  # squared coefficient of variation of the non-zero sizes (nan when there is no demand)
    nonzero: int  # number of days with demand


def _as_2d(Y: Any, name: str = "Y") -> np.ndarray:
    arr = np.asarray(Y, dtype=float)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 1-D (one SKU) or 2-D (SKUs × days), got shape {arr.shape}")
    if np.any(arr[~np.isnan(arr)] < 0):
        raise ValueError(f"{name} holds negative demand")
    return arr


def classify_many(Y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Classify every row of ``Y`` (SKUs × days). NaNs are ignored (not counted as days).

    Returns ``(classes, adi, cv2)``: an object array of ``DemandClass`` and two float arrays.
    """
    arr = _as_2d(Y)
    valid = ~np.isnan(arr)
    y = np.where(valid, arr, 0.0)
    nz = (y > 0) & valid
    k = nz.sum(axis=1)
    n_days = arr.shape[1]
    # last demand day counted over valid days only: position among the valid days, 1-based
    valid_pos = np.cumsum(valid, axis=1)
    last_pos = np.where(nz, valid_pos, 0).max(axis=1) if n_days else np.zeros(len(arr))
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(k > 0, last_pos / np.maximum(k, 1), np.inf)
        s1 = np.where(nz, y, 0.0).sum(axis=1)
        mean = s1 / np.maximum(k, 1)
        ss = np.where(nz, (y - mean[:, None]) ** 2, 0.0).sum(axis=1)
        var = np.where(k > 1, ss / np.maximum(k - 1, 1), 0.0)
        cv2 = np.where(k > 0, var / np.where(mean > 0, mean, 1.0) ** 2, np.nan)
    frequent, steady = adi <= ADI_CUTOFF, cv2 <= CV2_CUTOFF
    code = np.select(
        [k == 0, frequent & steady, frequent, steady], [4, 0, 1, 2], default=3
    )
    order = np.array(
        [DemandClass.SMOOTH, DemandClass.ERRATIC, DemandClass.INTERMITTENT, DemandClass.LUMPY, DemandClass.NONE],
        dtype=object,
    )
    return order[code], adi, cv2


def classify_demand(y: Any) -> DemandClassification:
    """Classify one daily history (see the module docstring for the definitions)."""
    arr = np.asarray(y, dtype=float)
    if arr.ndim != 1:
        raise ValueError("classify_demand takes one series; use classify_many for many")
    classes, adi, cv2 = classify_many(arr)
    nonzero = int(np.count_nonzero(np.nan_to_num(arr) > 0))
    return DemandClassification(classes[0], float(adi[0]), float(cv2[0]), nonzero)


# --------------------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True, slots=True)
class SkuForecast:
    id: Any
    model: str
    demand_class: DemandClass
    adi: float
    cv2: float
    mean: np.ndarray  # (h,)
    lower: np.ndarray  # (h,)
    upper: np.ndarray  # (h,)
    sigma: float
    level: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "model": self.model,
            "demand_class": str(self.demand_class),
            "adi": None if math.isinf(self.adi) else round(self.adi, 4),
            "cv2": None if math.isnan(self.cv2) else round(self.cv2, 4),
            "sigma": round(self.sigma, 4),
            "level": self.level,
            "mean": [round(float(v), 4) for v in self.mean],
            "lower": [round(float(v), 4) for v in self.lower],
            "upper": [round(float(v), 4) for v in self.upper],
        }


@dataclass(slots=True)
class ForecastBatch:
    """Forecasts for many SKUs; row i belongs to ``ids[i]`` (the row order of the input)."""

    ids: list[Any]
    model: np.ndarray  # (n,) str
    demand_class: np.ndarray  # (n,) DemandClass
    adi: np.ndarray  # (n,)
    cv2: np.ndarray  # (n,)
    mean: np.ndarray  # (n, h) units per day, future uplift applied
    baseline: np.ndarray  # (n, h) the same before the future uplift (everyday demand)
    lower: np.ndarray  # (n, h)
    upper: np.ndarray  # (n, h)
    sigma: np.ndarray  # (n,) daily σ of the one-step error, everyday level (no uplift)
    level: int
    h: int
    seconds: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, i: int) -> SkuForecast:
        return SkuForecast(
            self.ids[i], str(self.model[i]), self.demand_class[i], float(self.adi[i]), float(self.cv2[i]),
            self.mean[i], self.lower[i], self.upper[i], float(self.sigma[i]), self.level,
        )

    def daily_demand(self, days: Any) -> np.ndarray:
        """Mean forecast demand per day over the next ``days`` days (scalar or one per SKU, ≥ 1).

        Days past the horizon repeat the last week of the horizon's everyday (un-uplifted) forecast, so the
        weekday pattern is kept and a campaign is counted only on the days it was given for. Feed it L + R
        (lead time + review period) for replenishment.
        """
        n, h = self.mean.shape
        d = np.broadcast_to(np.asarray(days, dtype=int), (n,))
        if np.any(d < 1):
            raise ValueError("days must be ≥ 1")
        longest = int(d.max()) if n else 1
        m = self.mean
        if longest > h:
            tail = self.baseline[:, max(0, h - SEASON):]
            reps = math.ceil((longest - h) / tail.shape[1])
            m = np.concatenate([m, np.tile(tail, reps)[:, : longest - h]], axis=1)
        csum = np.cumsum(m, axis=1)
        return csum[np.arange(n), d - 1] / d

    def class_counts(self) -> dict[str, int]:
        values, counts = np.unique(self.demand_class.astype(str), return_counts=True)
        return {str(v): int(c) for v, c in zip(values, counts, strict=True)}

    def model_counts(self) -> dict[str, int]:
        values, counts = np.unique(self.model.astype(str), return_counts=True)
        return {str(v): int(c) for v, c in zip(values, counts, strict=True)}


# --------------------------------------------------------------------------------------------------------
# history cleaning


def clean_history(
    Y: Any, *, history_mask: Any = None, history_uplift: Any = None, season: int = SEASON
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(clean, start, masked)``: campaign days de-weighted, NaNs filled, per-row first valid day.

    ``start[i]`` is the index of the first non-NaN day of row i (= number of columns for an all-NaN row);
    ``masked`` marks the days that were replaced (history_mask or interior NaN) — their errors do not count.
    """
    arr = _as_2d(Y)
    n, t = arr.shape
    notnan = ~np.isnan(arr)
    start = np.where(notnan.any(axis=1), notnan.argmax(axis=1), t)
    live = np.arange(t)[None, :] >= start[:, None]
    y = np.where(notnan, arr, 0.0)
    if history_uplift is not None:
        up = np.broadcast_to(np.asarray(history_uplift, dtype=float), arr.shape)
        if np.any(~(up > 0)):
            raise ValueError("history_uplift must be > 0 (1 = a normal day)")
        y = y / up
    masked = live & ~notnan
    if history_mask is not None:
        hm = np.broadcast_to(np.asarray(history_mask, dtype=bool), arr.shape)
        masked |= live & hm
    if masked.any():
        good = live & ~masked
        cnt = good.sum(axis=1)
        fallback = np.where(cnt > 0, np.where(good, y, 0.0).sum(axis=1) / np.maximum(cnt, 1), 0.0)
        for j in np.flatnonzero(masked.any(axis=0)):
            rows = masked[:, j]
            if j >= season:
                prev_live = live[:, j - season]
                y[rows, j] = np.where(prev_live[rows], y[rows, j - season], fallback[rows])
            else:
                y[rows, j] = fallback[rows]
    y[~live] = np.nan
    return y, start, masked


# --------------------------------------------------------------------------------------------------------
# promotion days as known uplift events

UPLIFT_WINDOW = 14  # days either side of a promotion day whose ordinary days give its baseline
UPLIFT_PRIOR = 3.0  # strength (in baseline units) of the shrinkage of a SKU's ratio toward its group's
UPLIFT_MIN, UPLIFT_MAX = 0.2, 20.0


def estimate_uplift(
    Y: Any,
    promo: Any,
    *,
    groups: Any = None,
    window: int = UPLIFT_WINDOW,
    prior: float = UPLIFT_PRIOR,
) -> np.ndarray:
    """Each row's uplift ratio on promotion days (1 = no effect), from its own history.

    ``promo`` (bool, one per day or SKUs × days) marks the promotion days (campaigns.selectors.promotion_days).
    For every promotion day the *baseline* is the mean of the row's ordinary (non-promotion, non-NaN) days
    within ``window`` days either side. A row's raw ratio is Σ sales on its promotion days / Σ their
    baselines (a ratio of sums, so a quiet SKU's single lucky day weighs little). It is shrunk toward its
    group's pooled ratio R_g (``groups``: one label per row, e.g. the category; all rows one group when
    None): r = (S + prior·R_g) / (B + prior), so a SKU with little evidence on promotion days gets the
    category's uplift, a SKU with a clear spike (S, B ≫ prior) keeps its own. Rows with no baseline at all
    get R_g; R_g is 1 when the group has none. Clipped to [0.2, 20].
    """
    arr = _as_2d(Y)
    n, t = arr.shape
    pm = np.broadcast_to(np.asarray(promo, dtype=bool), arr.shape)
    if window < 1 or prior < 0:
        raise ValueError("window must be ≥ 1 and prior ≥ 0")
    valid = ~np.isnan(arr)
    ordinary = valid & ~pm
    vals = np.concatenate([np.zeros((n, 1)), np.cumsum(np.where(ordinary, arr, 0.0), axis=1)], axis=1)
    cnts = np.concatenate([np.zeros((n, 1)), np.cumsum(ordinary, axis=1)], axis=1)
    days = np.arange(t)
    lo, hi = np.clip(days - window, 0, t), np.clip(days + window + 1, 0, t)
    wsum, wcnt = vals[:, hi] - vals[:, lo], cnts[:, hi] - cnts[:, lo]
    baseline = np.where(wcnt > 0, wsum / np.maximum(wcnt, 1), np.nan)
    on = pm & valid & ~np.isnan(baseline)
    S = np.where(on, arr, 0.0).sum(axis=1)
    B = np.where(on, baseline, 0.0).sum(axis=1)
    labels = np.zeros(n, dtype=int) if groups is None else np.unique(np.asarray(groups), return_inverse=True)[1]
    if labels.shape != (n,):
        raise ValueError("groups must give one label per row")
    gS, gB = np.bincount(labels, S, labels.max() + 1 if n else 0), np.bincount(labels, B, labels.max() + 1 if n else 0)
    pooled = np.where(gB > 0, gS / np.where(gB > 0, gB, 1.0), 1.0)[labels] if n else np.ones(0)
    ratio = (S + prior * pooled) / (B + prior) if prior > 0 else np.where(B > 0, S / np.where(B > 0, B, 1), pooled)
    ratio = np.where(B > 0, ratio, pooled)
    return np.clip(ratio, UPLIFT_MIN, UPLIFT_MAX)


@dataclass(frozen=True, slots=True)
class PromotionUplift:
    """What ``forecast_many`` needs: ``history_uplift`` (SKUs × days), ``future_uplift`` (SKUs × h), the ratio."""

    ratio: np.ndarray  # (n,)
    history_uplift: np.ndarray
    future_uplift: np.ndarray


def promotion_uplift(
    Y: Any, promo_history: Any, promo_future: Any, *, groups: Any = None, window: int = UPLIFT_WINDOW,
    prior: float = UPLIFT_PRIOR,
) -> PromotionUplift:
    """Promotion days as known uplift events: estimate each row's ratio (``estimate_uplift``) on the past
    promotion days, divide it out of those days before fitting (``history_uplift``) and multiply it back
    on the future promotion days (``future_uplift``, one flag per horizon day or SKUs × h)."""
    arr = _as_2d(Y)
    n, t = arr.shape
    ratio = estimate_uplift(arr, promo_history, groups=groups, window=window, prior=prior)
    ph = np.broadcast_to(np.asarray(promo_history, dtype=bool), (n, t))
    pf = np.asarray(promo_future, dtype=bool)
    pf = np.broadcast_to(pf, (n, pf.shape[-1]))
    return PromotionUplift(ratio, np.where(ph, ratio[:, None], 1.0), np.where(pf, ratio[:, None], 1.0))


# --------------------------------------------------------------------------------------------------------
# forecasting


def _z(level: float) -> float:
    if not 0 < level < 100:
        raise ValueError("level must be a percentage in (0, 100)")
    return NormalDist().inv_cdf(0.5 + level / 200.0)


def _make_model(name: str) -> Any:
    from statsforecast.models import (
        ADIDA,
        TSB,
        AutoETS,
        CrostonClassic,
        CrostonSBA,
        SeasonalExponentialSmoothingOptimized,
    )

    factories = {
        "seasonal_es": lambda: SeasonalExponentialSmoothingOptimized(season_length=SEASON, alias=name),
        "ets": lambda: AutoETS(season_length=SEASON, alias=name),
        "sba": lambda: CrostonSBA(alias=name),
        "croston": lambda: CrostonClassic(alias=name),
        "tsb": lambda: TSB(alpha_d=0.1, alpha_p=0.1, alias=name),
        "adida": lambda: ADIDA(alias=name),
    }
    return factories[name]()


def _fit_group(
    name: str, y: np.ndarray, start: np.ndarray, masked: np.ndarray, rows: np.ndarray, h: int, level: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Fit one statsforecast model on each of ``rows``; returns (mean (k,h), sigma (k,), lower, upper | None).

    The fast path: each model's own ``forecast(y, h, fitted=True)`` (what ``StatsForecast`` runs per series)
    on the row's numpy array, without the long-DataFrame round trip, which costs more than the models here
    (benchmarks/forecast_replenish.py measures both).
    """
    model = _make_model(name)
    t = y.shape[1]
    k = len(rows)
    mean = np.empty((k, h))
    fv = np.full((k, t), np.nan)
    lower = upper = None
    if name == "ets":
        lower, upper = np.empty((k, h)), np.empty((k, h))
    for j, i in enumerate(rows):
        s0 = int(start[i])
        if name == "ets":
            res = model.forecast(y=y[i, s0:], h=h, fitted=True, level=[level])
            lower[j], upper[j] = res[f"lo-{level}"], res[f"hi-{level}"]
        else:
            res = model.forecast(y=y[i, s0:], h=h, fitted=True)
        mean[j] = res["mean"]
        fv[j, s0:] = res["fitted"]
    sub = y[rows]
    err = sub - fv
    warm = np.arange(t)[None, :] < (start[rows] + SEASON)[:, None]
    err[masked[rows] | warm] = np.nan
    sigma = _rms_rows(err, fallback=sub)
    return np.maximum(mean, 0.0), sigma, lower, upper


def _rms_rows(err: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(err)
    cnt = ok.sum(axis=1)
    sq = np.where(ok, err, 0.0) ** 2
    rms = np.sqrt(sq.sum(axis=1) / np.maximum(cnt, 1))
    # too few residuals: the sd of the history itself
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.nanstd(np.where(np.isnan(fallback), np.nan, fallback), axis=1)
    return np.where(cnt >= 2, rms, np.nan_to_num(sd))


def forecast_many(
    Y: Any,
    *,
    h: int = DEFAULT_H,
    level: int = DEFAULT_LEVEL,
    history_mask: Any = None,
    history_uplift: Any = None,
    future_uplift: Any = None,
    policy: Mapping[DemandClass | str, str] | None = None,
    model: str | None = None,
    ids: Sequence[Any] | None = None,
) -> ForecastBatch:
    """Forecast ``h`` days for every row of ``Y`` (SKUs × days). See the module docstring."""
    import time

    t0 = time.perf_counter()
    if h < 1:
        raise ValueError("h must be ≥ 1")
    z = _z(level)
    y, start, masked = clean_history(Y, history_mask=history_mask, history_uplift=history_uplift)
    n, t = y.shape
    if ids is None:
        ids = list(range(n))
    elif len(ids) != n:
        raise ValueError("ids must have one entry per row of Y")
    pol = {DemandClass(k): v for k, v in DEFAULT_POLICY.items()}
    for k, v in (policy or {}).items():
        pol[DemandClass(k)] = v
    for v in [*pol.values(), *([model] if model else [])]:
        if v not in MODELS:
            raise ValueError(f"unknown model {v!r}; one of {MODELS}")
    classes, adi, cv2 = classify_many(y)
    length = t - start
    by_class = np.array([model or pol[c] for c in classes], dtype=object) if n else np.empty(0, dtype=object)
    chosen = np.where(classes == DemandClass.NONE, "zero", np.where(length < MIN_HISTORY, "mean", by_class))
    t1 = time.perf_counter()

    mean = np.zeros((n, h))
    sigma = np.zeros(n)
    lower = np.full((n, h), np.nan)
    upper = np.full((n, h), np.nan)
    for name in sorted(set(chosen.tolist())):
        rows = np.flatnonzero(chosen == name)
        if name == "zero":
            continue
        if name == "mean":
            hist = y[rows]
            good = ~np.isnan(hist) & ~masked[rows]
            cnt = np.maximum(good.sum(axis=1), 1)
            mu = np.where(good, hist, 0.0).sum(axis=1) / cnt
            mean[rows] = mu[:, None]
            sigma[rows] = np.sqrt(np.where(good, (hist - mu[:, None]) ** 2, 0.0).sum(axis=1) / cnt)
            continue
        m, s, lo, hi = _fit_group(name, y, start, masked, rows, h, level)
        mean[rows], sigma[rows] = m, s
        if lo is not None:
            lower[rows], upper[rows] = np.maximum(lo, 0.0), np.maximum(hi, 0.0)
    t2 = time.perf_counter()

    no_lo = np.isnan(lower)
    lower = np.where(no_lo, np.maximum(mean - z * sigma[:, None], 0.0), lower)
    upper = np.where(no_lo, mean + z * sigma[:, None], upper)
    baseline = mean
    if future_uplift is not None:
        up = np.broadcast_to(np.asarray(future_uplift, dtype=float), (n, h))
        if np.any(~(up >= 0)):
            raise ValueError("future_uplift must be ≥ 0 (1 = a normal day)")
        mean, lower, upper = mean * up, lower * up, upper * up
    t3 = time.perf_counter()
    return ForecastBatch(
        ids=list(ids), model=chosen.astype(str), demand_class=classes, adi=adi, cv2=cv2,
        mean=mean, baseline=baseline, lower=lower, upper=upper, sigma=sigma, level=level, h=h,
        seconds={"prepare": t1 - t0, "fit": t2 - t1, "finish": t3 - t2},
    )


def forecast_series(y: Any, **kwargs: Any) -> SkuForecast:
    """Forecast one SKU's daily history; keywords as ``forecast_many`` (``ids`` excepted)."""
    arr = np.asarray(y, dtype=float)
    if arr.ndim != 1:
        raise ValueError("forecast_series takes one series; use forecast_many for many")
    for key in ("history_mask", "history_uplift"):
        if kwargs.get(key) is not None:
            kwargs[key] = np.asarray(kwargs[key])[None, ...]
    if kwargs.get("future_uplift") is not None:
        kwargs["future_uplift"] = np.asarray(kwargs["future_uplift"], dtype=float)[None, ...]
    return forecast_many(arr[None, :], **kwargs).row(0)


# --------------------------------------------------------------------------------------------------------
# backtest


@dataclass(frozen=True, slots=True)
class Scores:
    wape: float  # Σ|y − ŷ| / Σ|y| over all scored SKU-days (nan when Σ|y| = 0)
    mase: float  # mean over SKUs of MAE / in-sample seasonal-naive MAE (SKUs with a zero scale left out)

    def as_dict(self) -> dict[str, float | None]:
        return {k: None if math.isnan(v) else round(v, 6) for k, v in (("wape", self.wape), ("mase", self.mase))}


@dataclass(frozen=True, slots=True)
class BacktestResult:
    model: Scores  # our forecasts (the class-chosen models)
    baseline: Scores  # seasonal naive: ŷ(origin + j) = y(origin − m + j mod m)
    windows: list[dict[str, Any]]  # per origin: origin, model/baseline scores
    h: int
    season_length: int

    @property
    def beats_baseline(self) -> bool:
        return self.model.wape < self.baseline.wape

    def as_dict(self) -> dict[str, Any]:
        return {
            "h": self.h,
            "season_length": self.season_length,
            "model": self.model.as_dict(),
            "seasonal_naive": self.baseline.as_dict(),
            "windows": self.windows,
        }


def seasonal_naive(history: np.ndarray, h: int, season_length: int = SEASON) -> np.ndarray:
    """ŷ(T + j) = y(T − m + (j mod m)) for every row: the last full season repeated."""
    last = history[:, -season_length:]
    reps = math.ceil(h / season_length)
    return np.tile(last, reps)[:, :h]


def _scores(
    actual: np.ndarray, pred: np.ndarray, scale: np.ndarray, scored: np.ndarray
) -> tuple[float, float, np.ndarray, np.ndarray]:
    abs_err = np.where(scored, np.abs(actual - pred), 0.0)
    abs_y = np.where(scored, np.abs(actual), 0.0)
    cnt = scored.sum(axis=1)
    mae = abs_err.sum(axis=1) / np.maximum(cnt, 1)
    ok = (scale > 0) & (cnt > 0)
    mase_rows = np.where(ok, mae / np.where(ok, scale, 1.0), np.nan)
    return float(abs_err.sum()), float(abs_y.sum()), mase_rows, ok


def backtest(
    Y: Any,
    *,
    h: int = 7,
    n_windows: int = 4,
    step: int | None = None,
    history_mask: Any = None,
    policy: Mapping[DemandClass | str, str] | None = None,
    model: str | None = None,
    season_length: int = SEASON,
    promo: Any = None,
    groups: Any = None,
) -> BacktestResult:
    """Rolling-origin backtest with WAPE and MASE against the seasonal-naive baseline.

    Origins: ``T − h − k·step`` for k = n_windows−1 … 0 (``step`` defaults to ``h``), so the last window ends
    on the last day. At each origin both methods see only ``Y[:, :origin]``; our method is refit (class and
    model chosen again on that history). Scored days: the ``h`` days after the origin that are not masked and
    not NaN. WAPE = Σ|y−ŷ| / Σ|y| over all windows and SKUs. MASE per SKU and window = MAE / mean |y_t −
    y_{t−m}| over that window's training history (Hyndman & Koehler 2006); the reported MASE is the mean
    over SKU-windows with a non-zero scale.

    ``promo`` (bool per day or SKUs × days, the promotion days as known in advance): at each origin the
    uplift ratios are estimated on the training days only (``promotion_uplift``), taken out of the training
    history and put back on the promotion days of the test window, which are scored like any other day.
    The seasonal-naive baseline stays naive.
    """
    arr = _as_2d(Y)
    n, t = arr.shape
    step = step or h
    if h < 1 or n_windows < 1 or step < 1:
        raise ValueError("h, n_windows and step must be ≥ 1")
    first_origin = t - h - (n_windows - 1) * step
    if first_origin < season_length + 1:
        raise ValueError("history too short for these windows")
    mask = (
        np.zeros(arr.shape, dtype=bool)
        if history_mask is None
        else np.broadcast_to(np.asarray(history_mask, dtype=bool), arr.shape)
    )
    totals = {"model": [0.0, 0.0, []], "baseline": [0.0, 0.0, []]}
    windows = []
    for k in range(n_windows - 1, -1, -1):
        origin = t - h - k * step
        train, test = arr[:, :origin], arr[:, origin : origin + h]
        scored = ~np.isnan(test) & ~mask[:, origin : origin + h]
        clean_train, _, _ = clean_history(train, history_mask=mask[:, :origin])
        lift = {}
        if promo is not None:
            pm = np.broadcast_to(np.asarray(promo, dtype=bool), arr.shape)
            up = promotion_uplift(train, pm[:, :origin], pm[:, origin : origin + h], groups=groups)
            lift = {"history_uplift": up.history_uplift, "future_uplift": up.future_uplift}
        ours = forecast_many(train, h=h, history_mask=mask[:, :origin], policy=policy, model=model, **lift).mean
        base = seasonal_naive(np.nan_to_num(clean_train), h, season_length)
        ct = np.nan_to_num(clean_train)
        diffs = np.abs(ct[:, season_length:] - ct[:, :-season_length])
        live = ~np.isnan(clean_train)
        dok = live[:, season_length:] & live[:, :-season_length]
        scale = np.where(dok, diffs, 0.0).sum(axis=1) / np.maximum(dok.sum(axis=1), 1)
        test0 = np.nan_to_num(test)
        row = {"origin": origin}
        for key, pred in (("model", ours), ("baseline", base)):
            e, a, mase_rows, ok = _scores(test0, pred, scale, scored)
            totals[key][0] += e
            totals[key][1] += a
            totals[key][2].append(mase_rows[ok])
            row[key] = Scores(e / a if a else math.nan, _nanmean(mase_rows[ok])).as_dict()
        windows.append(row)

    def final(key: str) -> Scores:
        e, a, parts = totals[key]
        return Scores(e / a if a else math.nan, _nanmean(np.concatenate(parts)))

    return BacktestResult(final("model"), final("baseline"), windows, h, season_length)


def _nanmean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else math.nan
