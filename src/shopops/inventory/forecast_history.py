"""Demand histories before a forecast: the SKUs × days array checked, campaign days taken out, and the
promotion uplift estimated (the "Campaign days" part of ``shopops.inventory.forecast``'s docstring).

Pure domain code: numpy only, no Django, no ORM, no I/O. Callers import these names from
``shopops.inventory.forecast``; this module exists so the history rules have one home of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

SEASON = 7  # the weekly season of shop sales: a masked day is replaced by the same weekday a week earlier

UPLIFT_WINDOW = 14  # days either side of a promotion day whose ordinary days give its baseline
UPLIFT_PRIOR = 3.0  # strength (in baseline units) of the shrinkage of a SKU's ratio toward its group's
UPLIFT_MIN, UPLIFT_MAX = 0.2, 20.0


def as_2d(Y: Any, name: str = "Y") -> np.ndarray:
    """``Y`` as a float SKUs × days array (one SKU given as 1-D becomes one row); negative demand is a
    programming error, so it raises ``ValueError`` before any model sees it."""
    arr = np.asarray(Y, dtype=float)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 1-D (one SKU) or 2-D (SKUs × days), got shape {arr.shape}")
    if np.any(arr[~np.isnan(arr)] < 0):
        raise ValueError(f"{name} holds negative demand")
    return arr


# --------------------------------------------------------------------------------------------------------
# history cleaning


def clean_history(
    Y: Any, *, history_mask: Any = None, history_uplift: Any = None, season: int = SEASON
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(clean, start, masked)``: campaign days de-weighted, NaNs filled, per-row first valid day.

    ``start[i]`` is the index of the first non-NaN day of row i (= number of columns for an all-NaN row);
    ``masked`` marks the days that were replaced (history_mask or interior NaN) — their errors do not count.
    """
    arr = as_2d(Y)
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
        _fill_masked(y, live, masked, season)
    y[~live] = np.nan
    return y, start, masked


def _fill_masked(y: np.ndarray, live: np.ndarray, masked: np.ndarray, season: int) -> None:
    """Replace the masked days of ``y`` in place, oldest first, so a run of masked days copies cleaned days:
    the same weekday one ``season`` earlier when that day was on sale, else the row's mean of good days
    (a campaign's sales must not teach the model the everyday rate)."""
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


# --------------------------------------------------------------------------------------------------------
# promotion days as known uplift events


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
    arr = as_2d(Y)
    pm = np.broadcast_to(np.asarray(promo, dtype=bool), arr.shape)
    if window < 1 or prior < 0:
        raise ValueError("window must be ≥ 1 and prior ≥ 0")
    valid = ~np.isnan(arr)
    baseline = _ordinary_baseline(arr, valid & ~pm, window)
    on = pm & valid & ~np.isnan(baseline)
    S = np.where(on, arr, 0.0).sum(axis=1)
    B = np.where(on, baseline, 0.0).sum(axis=1)
    pooled = _pooled_ratio(S, B, groups)
    ratio = (S + prior * pooled) / (B + prior) if prior > 0 else np.where(B > 0, S / np.where(B > 0, B, 1), pooled)
    ratio = np.where(B > 0, ratio, pooled)
    return np.clip(ratio, UPLIFT_MIN, UPLIFT_MAX)


def _ordinary_baseline(arr: np.ndarray, ordinary: np.ndarray, window: int) -> np.ndarray:
    """Per row and day, the mean of the ordinary days within ``window`` days either side (NaN when none):
    what the day would have sold without its promotion. Prefix sums keep it one pass over the array."""
    n, t = arr.shape
    vals = np.concatenate([np.zeros((n, 1)), np.cumsum(np.where(ordinary, arr, 0.0), axis=1)], axis=1)
    cnts = np.concatenate([np.zeros((n, 1)), np.cumsum(ordinary, axis=1)], axis=1)
    days = np.arange(t)
    lo, hi = np.clip(days - window, 0, t), np.clip(days + window + 1, 0, t)
    wsum, wcnt = vals[:, hi] - vals[:, lo], cnts[:, hi] - cnts[:, lo]
    return np.where(wcnt > 0, wsum / np.maximum(wcnt, 1), np.nan)


def _pooled_ratio(S: np.ndarray, B: np.ndarray, groups: Any) -> np.ndarray:
    """Each row's group ratio ΣS / ΣB (1 for a group without baseline): the prior a SKU with little
    evidence of its own is shrunk toward."""
    n = len(S)
    labels = np.zeros(n, dtype=int) if groups is None else np.unique(np.asarray(groups), return_inverse=True)[1]
    if labels.shape != (n,):
        raise ValueError("groups must give one label per row")
    gS, gB = np.bincount(labels, S, labels.max() + 1 if n else 0), np.bincount(labels, B, labels.max() + 1 if n else 0)
    return np.where(gB > 0, gS / np.where(gB > 0, gB, 1.0), 1.0)[labels] if n else np.ones(0)


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
    arr = as_2d(Y)
    n, t = arr.shape
    ratio = estimate_uplift(arr, promo_history, groups=groups, window=window, prior=prior)
    ph = np.broadcast_to(np.asarray(promo_history, dtype=bool), (n, t))
    pf = np.asarray(promo_future, dtype=bool)
    pf = np.broadcast_to(pf, (n, pf.shape[-1]))
    return PromotionUplift(ratio, np.where(ph, ratio[:, None], 1.0), np.where(pf, ratio[:, None], 1.0))
