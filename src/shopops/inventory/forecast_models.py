"""Forecast models per SKU: the model chosen by demand class, fitted with statsforecast, intervals and σ, the
future uplift (the "Model choice", "Intervals and σ" and "Campaign days" parts of
``shopops.inventory.forecast``'s docstring, where the choices are argued).

Pure domain code: numpy + statsforecast's model classes, no Django, no ORM, no I/O. statsforecast (≈1.2 s
to import) is imported lazily in ``_make_model``, so importing this module costs nothing at Django start-up.
Callers import these names from ``shopops.inventory.forecast``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np

from shopops.core.text import Text, gettext_noop
from shopops.inventory.forecast_classes import DemandClass, classify_many
from shopops.inventory.forecast_history import SEASON, clean_history

MIN_HISTORY = 14
DEFAULT_H = 28
DEFAULT_LEVEL = 80

MODELS = ("seasonal_es", "ets", "sba", "croston", "tsb", "adida", "mean", "zero")
# Each model by name, for the pages (said with core.i18n.say).
MODEL_NAMES: dict[str, Text] = {
    "seasonal_es": gettext_noop("Seasonal exponential smoothing"),
    "ets": gettext_noop("Exponential smoothing (ETS)"),
    "sba": gettext_noop("Croston with SBA correction"),
    "croston": gettext_noop("Croston"),
    "tsb": gettext_noop("TSB (intermittent demand)"),
    "adida": gettext_noop("ADIDA (aggregated intermittent demand)"),
    "mean": gettext_noop("Average of the history"),
    "zero": gettext_noop("Zero (no demand)"),
}

DEFAULT_POLICY: Mapping[DemandClass, str] = {
    DemandClass.SMOOTH: "seasonal_es",
    DemandClass.ERRATIC: "seasonal_es",
    DemandClass.INTERMITTENT: "sba",
    DemandClass.LUMPY: "tsb",
    DemandClass.NONE: "zero",
}


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
# fitting


def _z(level: float) -> float:
    if not 0 < level < 100:
        raise ValueError("level must be a percentage in (0, 100)")
    return NormalDist().inv_cdf(0.5 + level / 200.0)


def _make_model(name: str) -> Any:
    """A fresh statsforecast model for ``name`` (imported here: statsforecast costs ≈1.2 s to import)."""
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


def _fit_mean(y: np.ndarray, masked: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ``mean`` model of too-short histories: the mean of the good days and their sd, as (mu, sigma);
    a few days cannot support a fitted model, but they still say more than zero."""
    hist = y[rows]
    good = ~np.isnan(hist) & ~masked[rows]
    cnt = np.maximum(good.sum(axis=1), 1)
    mu = np.where(good, hist, 0.0).sum(axis=1) / cnt
    sigma = np.sqrt(np.where(good, (hist - mu[:, None]) ** 2, 0.0).sum(axis=1) / cnt)
    return mu, sigma


def _policy(policy: Mapping[DemandClass | str, str] | None, model: str | None) -> dict[DemandClass, str]:
    """``DEFAULT_POLICY`` overridden by ``policy``, every model name checked (``model`` too) before any fit,
    so a typo fails at once rather than after minutes of fitting."""
    pol = {DemandClass(k): v for k, v in DEFAULT_POLICY.items()}
    for k, v in (policy or {}).items():
        pol[DemandClass(k)] = v
    for v in [*pol.values(), *([model] if model else [])]:
        if v not in MODELS:
            raise ValueError(f"unknown model {v!r}; one of {MODELS}")
    return pol


def _choose(classes: np.ndarray, length: np.ndarray, pol: Mapping[DemandClass, str], model: str | None
            ) -> np.ndarray:
    """The model per row: ``zero`` without demand, ``mean`` under ``MIN_HISTORY`` days, else ``model`` or the
    class's model of ``pol``."""
    n = len(classes)
    by_class = np.array([model or pol[c] for c in classes], dtype=object) if n else np.empty(0, dtype=object)
    return np.where(classes == DemandClass.NONE, "zero", np.where(length < MIN_HISTORY, "mean", by_class))


def _fit_all(
    chosen: np.ndarray, y: np.ndarray, start: np.ndarray, masked: np.ndarray, h: int, level: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fit each model on its rows (one model object per group, models in name order); returns
    ``(mean, sigma, lower, upper)`` with NaN bounds where the model gives no interval of its own."""
    n = len(chosen)
    mean = np.zeros((n, h))
    sigma = np.zeros(n)
    lower = np.full((n, h), np.nan)
    upper = np.full((n, h), np.nan)
    for name in sorted(set(chosen.tolist())):
        rows = np.flatnonzero(chosen == name)
        if name == "zero":
            continue
        if name == "mean":
            mu, sigma[rows] = _fit_mean(y, masked, rows)
            mean[rows] = mu[:, None]
            continue
        m, s, lo, hi = _fit_group(name, y, start, masked, rows, h, level)
        mean[rows], sigma[rows] = m, s
        if lo is not None:
            lower[rows], upper[rows] = np.maximum(lo, 0.0), np.maximum(hi, 0.0)
    return mean, sigma, lower, upper


def _finish(
    mean: np.ndarray, sigma: np.ndarray, lower: np.ndarray, upper: np.ndarray, z: float, future_uplift: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Normal-approximation bounds where the model gave none (mean ± z·σ, lower clipped at 0), then the
    future uplift on mean and bounds; returns ``(mean, lower, upper)`` (σ stays the everyday σ)."""
    n, h = mean.shape
    no_lo = np.isnan(lower)
    lower = np.where(no_lo, np.maximum(mean - z * sigma[:, None], 0.0), lower)
    upper = np.where(no_lo, mean + z * sigma[:, None], upper)
    if future_uplift is not None:
        up = np.broadcast_to(np.asarray(future_uplift, dtype=float), (n, h))
        if np.any(~(up >= 0)):
            raise ValueError("future_uplift must be ≥ 0 (1 = a normal day)")
        mean, lower, upper = mean * up, lower * up, upper * up
    return mean, lower, upper


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
    """Forecast ``h`` days for every row of ``Y`` (SKUs × days). See ``shopops.inventory.forecast``."""
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
    pol = _policy(policy, model)
    classes, adi, cv2 = classify_many(y)
    chosen = _choose(classes, t - start, pol, model)
    t1 = time.perf_counter()
    mean, sigma, lower, upper = _fit_all(chosen, y, start, masked, h, level)
    t2 = time.perf_counter()
    baseline = mean
    mean, lower, upper = _finish(mean, sigma, lower, upper, z, future_uplift)
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
