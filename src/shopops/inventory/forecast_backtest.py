"""Rolling-origin backtest of the forecasts: WAPE and MASE of ours and of the seasonal-naive baseline on the
same windows — the evidence that the model choice of ``shopops.inventory.forecast`` beats doing nothing
clever (benchmarks/forecast_replenish.py reports it).

Pure domain code: numpy only (the models through ``forecast_many``), no Django, no ORM, no I/O. Callers
import these names from ``shopops.inventory.forecast``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from shopops.inventory.forecast_classes import DemandClass
from shopops.inventory.forecast_history import SEASON, as_2d, clean_history, promotion_uplift
from shopops.inventory.forecast_models import forecast_many


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


def _nanmean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else math.nan


@dataclass(slots=True)
class _Totals:
    """One method's sums over all windows: WAPE is a ratio of sums (not a mean of window WAPEs), MASE the
    mean over every SKU-window with a scale."""

    abs_err: float = 0.0
    abs_y: float = 0.0
    mase_parts: list[np.ndarray] = field(default_factory=list)

    def add(self, abs_err: float, abs_y: float, mase_rows: np.ndarray) -> None:
        self.abs_err += abs_err
        self.abs_y += abs_y
        self.mase_parts.append(mase_rows)

    def scores(self) -> Scores:
        return Scores(self.abs_err / self.abs_y if self.abs_y else math.nan,
                      _nanmean(np.concatenate(self.mase_parts)))


def _mase_scale(clean_train: np.ndarray, season_length: int) -> np.ndarray:
    """Per row, the in-sample seasonal-naive MAE mean |y_t − y_{t−m}| over the days on sale on both ends:
    the MASE denominator (Hyndman & Koehler 2006), so a scale-free error compares SKUs of any volume."""
    ct = np.nan_to_num(clean_train)
    diffs = np.abs(ct[:, season_length:] - ct[:, :-season_length])
    live = ~np.isnan(clean_train)
    dok = live[:, season_length:] & live[:, :-season_length]
    return np.where(dok, diffs, 0.0).sum(axis=1) / np.maximum(dok.sum(axis=1), 1)


def _window_forecast(
    arr: np.ndarray, mask: np.ndarray, origin: int, h: int, *, promo: Any, groups: Any,
    policy: Mapping[DemandClass | str, str] | None, model: str | None,
) -> np.ndarray:
    """Our forecast of the ``h`` days after ``origin``, refit on ``arr[:, :origin]`` only; with ``promo`` the
    uplift is estimated on the training days and put back on the test window's promotion days (known in
    advance), so nothing of the test window leaks into the fit."""
    train = arr[:, :origin]
    lift = {}
    if promo is not None:
        pm = np.broadcast_to(np.asarray(promo, dtype=bool), arr.shape)
        up = promotion_uplift(train, pm[:, :origin], pm[:, origin : origin + h], groups=groups)
        lift = {"history_uplift": up.history_uplift, "future_uplift": up.future_uplift}
    return forecast_many(train, h=h, history_mask=mask[:, :origin], policy=policy, model=model, **lift).mean


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
    arr = as_2d(Y)
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
    totals = {"model": _Totals(), "baseline": _Totals()}
    windows = []
    for k in range(n_windows - 1, -1, -1):
        origin = t - h - k * step
        test = arr[:, origin : origin + h]
        scored = ~np.isnan(test) & ~mask[:, origin : origin + h]
        clean_train, _, _ = clean_history(arr[:, :origin], history_mask=mask[:, :origin])
        ours = _window_forecast(arr, mask, origin, h, promo=promo, groups=groups, policy=policy, model=model)
        base = seasonal_naive(np.nan_to_num(clean_train), h, season_length)
        scale = _mase_scale(clean_train, season_length)
        test0 = np.nan_to_num(test)
        row: dict[str, Any] = {"origin": origin}
        for key, pred in (("model", ours), ("baseline", base)):
            e, a, mase_rows, ok = _scores(test0, pred, scale, scored)
            totals[key].add(e, a, mase_rows[ok])
            row[key] = Scores(e / a if a else math.nan, _nanmean(mase_rows[ok])).as_dict()
        windows.append(row)
    return BacktestResult(totals["model"].scores(), totals["baseline"].scores(), windows, h, season_length)
