"""Daily demand forecasts per SKU: demand classes, model choice, campaign uplift, rolling-origin backtest.

Pure domain code: numpy + statsforecast's model classes, no Django, no ORM, no I/O.
statsforecast (≈1.2 s to import, it pulls statsmodels) is imported lazily inside the functions that fit
models, so importing this module costs nothing at Django start-up. statsforecast 2.x has a C++ core; it
does not use numba, so there is no JIT cache to configure.

This module is the one the callers import; the code lives by topic in ``forecast_history`` (the history
checked and cleaned, promotion uplift), ``forecast_classes`` (demand classes), ``forecast_models`` (model
choice, fitting, intervals) and ``forecast_backtest`` (the rolling-origin backtest).

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

from shopops.inventory.forecast_backtest import BacktestResult, Scores, backtest, seasonal_naive
from shopops.inventory.forecast_classes import (
    ADI_CUTOFF,
    CV2_CUTOFF,
    DEMAND_CLASS_NAMES,
    DemandClass,
    DemandClassification,
    classify_demand,
    classify_many,
)
from shopops.inventory.forecast_history import (
    SEASON,
    UPLIFT_MAX,
    UPLIFT_MIN,
    UPLIFT_PRIOR,
    UPLIFT_WINDOW,
    PromotionUplift,
    clean_history,
    estimate_uplift,
    promotion_uplift,
)
from shopops.inventory.forecast_models import (
    DEFAULT_H,
    DEFAULT_LEVEL,
    DEFAULT_POLICY,
    MIN_HISTORY,
    MODEL_NAMES,
    MODELS,
    ForecastBatch,
    SkuForecast,
    forecast_many,
    forecast_series,
)

__all__ = [
    "ADI_CUTOFF",
    "CV2_CUTOFF",
    "DEFAULT_H",
    "DEFAULT_LEVEL",
    "DEFAULT_POLICY",
    "MIN_HISTORY",
    "MODELS",
    "MODEL_NAMES",
    "DEMAND_CLASS_NAMES",
    "SEASON",
    "UPLIFT_MAX",
    "UPLIFT_MIN",
    "UPLIFT_PRIOR",
    "UPLIFT_WINDOW",
    "BacktestResult",
    "DemandClass",
    "DemandClassification",
    "ForecastBatch",
    "PromotionUplift",
    "Scores",
    "SkuForecast",
    "backtest",
    "classify_demand",
    "classify_many",
    "clean_history",
    "estimate_uplift",
    "forecast_many",
    "forecast_series",
    "promotion_uplift",
    "seasonal_naive",
]
