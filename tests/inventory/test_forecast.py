"""Demand forecasts: demand classes, statsforecast models, campaign uplift, rolling-origin backtest.

Pure tests (no database). Published vectors from docs/rules/inventory-science.md#intermittent-test-vector
(statsforecast 2.1.1 on the offline series y below, re-run on this machine).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsforecast import StatsForecast
from statsforecast.models import TSB, CrostonSBA

from shopops.inventory.forecast import (
    DEFAULT_POLICY,
    DemandClass,
    backtest,
    classify_demand,
    classify_many,
    clean_history,
    estimate_uplift,
    forecast_many,
    forecast_series,
    promotion_uplift,
    seasonal_naive,
)

# docs/rules/inventory-science.md#intermittent-test-vector, "Offline test vector [V]", h = 3
Y = [0, 0, 3, 0, 0, 0, 5, 0, 2, 0, 0, 4, 0, 0, 0, 0, 6, 0, 1, 0]
PUBLISHED = {"croston": 1.044459, "sba": 0.992236, "adida": 1.069773}
TSB_02_02 = 1.074446  # TSB(alpha_d=0.2, alpha_p=0.2) on Y


def _ses(values, alpha):
    """Simple exponential smoothing initialised at the first observation (statsforecast's convention)."""
    level = values[0]
    for v in values[1:]:
        level = level + alpha * (v - level)
    return level


def _hand_croston(y, alpha=0.1):
    idx = [i for i, v in enumerate(y) if v]
    sizes = [y[i] for i in idx]
    intervals = [b - a for a, b in zip([-1, *idx], idx, strict=False)]  # first one counted from the start
    return _ses(sizes, alpha) / _ses(intervals, alpha)


def _hand_tsb(y, alpha_d, alpha_p):
    sizes = [v for v in y if v]
    p = _ses([1.0 if v else 0.0 for v in y], alpha_p)
    return p * _ses(sizes, alpha_d)


# ---------------------------------------------------------------------------------------------------------
# intermittent models equal statsforecast's published values


@pytest.mark.parametrize("model", sorted(PUBLISHED))
def test_intermittent_forecast_matches_the_published_statsforecast_vector(model):
    """docs/rules/inventory-science.md#intermittent-test-vector: CrostonClassic 1.044459, CrostonSBA 0.992236,
    ADIDA 1.069773 on Y, h = 3."""
    fc = forecast_series(Y, h=3, model=model)
    assert fc.model == model
    np.testing.assert_allclose(fc.mean, [PUBLISHED[model]] * 3, atol=1e-6)


def test_croston_matches_the_hand_computation():
    """sizes [3,5,2,4,6,1], intervals [3,4,2,3,5,2], SES α = 0.1: 1.0444591
    (docs/rules/inventory-science.md#intermittent-test-vector)."""
    assert _hand_croston(Y) == pytest.approx(1.0444591, abs=1e-7)
    assert forecast_series(Y, h=1, model="croston").mean[0] == pytest.approx(_hand_croston(Y), rel=1e-9)
    assert forecast_series(Y, h=1, model="sba").mean[0] == pytest.approx(0.95 * _hand_croston(Y), rel=1e-9)


def test_tsb_matches_the_hand_computation_checked_on_the_published_vector():
    """The hand TSB reproduces the published TSB(0.2, 0.2) = 1.074446; ours (α_d = α_p = 0.1) equals it at 0.1."""
    assert _hand_tsb(Y, 0.2, 0.2) == pytest.approx(TSB_02_02, abs=1e-6)
    assert forecast_series(Y, h=2, model="tsb").mean[0] == pytest.approx(_hand_tsb(Y, 0.1, 0.1), rel=1e-9)


def test_forecast_many_equals_statsforecast_dataframe_api_on_many_series():
    """Our fast path gives exactly what the documented ``StatsForecast(...).forecast(df=...)`` gives."""
    rng = np.random.default_rng(7)
    n, t = 40, 120
    y = np.where(rng.random((n, t)) < 0.25, rng.integers(1, 9, (n, t)), 0).astype(float)
    df = pd.DataFrame({"unique_id": np.repeat(np.arange(n), t), "ds": np.tile(np.arange(t), n), "y": y.ravel()})
    sf = StatsForecast(models=[CrostonSBA(), TSB(alpha_d=0.1, alpha_p=0.1)], freq=1, n_jobs=1)
    ref = sf.forecast(df=df, h=5).sort_values(["unique_id", "ds"])
    for model, column in (("sba", "CrostonSBA"), ("tsb", "TSB")):
        ours = forecast_many(y, h=5, model=model)
        np.testing.assert_allclose(ours.mean, ref[column].to_numpy().reshape(n, 5), rtol=1e-12)


def test_all_zero_history_forecasts_zero():
    fc = forecast_series(np.zeros(60), h=4)
    assert (fc.demand_class, fc.model, fc.sigma) == (DemandClass.NONE, "zero", 0.0)
    assert fc.mean.tolist() == fc.lower.tolist() == fc.upper.tolist() == [0.0] * 4


# ---------------------------------------------------------------------------------------------------------
# classification (Syntetos, Boylan & Croston 2005: ADI 1.32, CV² 0.49)


def test_published_series_is_intermittent():
    """Y: 6 demands, last on day 19 → ADI 19/6; sizes mean 3.5, sample variance 3.5 → CV² = 3.5/12.25."""
    c = classify_demand(Y)
    assert c.demand_class == DemandClass.INTERMITTENT
    assert c.adi == pytest.approx(19 / 6)
    assert c.cv2 == pytest.approx(3.5 / 12.25)
    assert c.nonzero == 6


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        ([5] * 56, DemandClass.SMOOTH),  # every day, same size: ADI 1, CV² 0
        ([1, 10] * 28, DemandClass.ERRATIC),  # every day, sizes 1/10: CV² ≈ 0.68
        ([0, 0, 5] * 20, DemandClass.INTERMITTENT),  # every 3rd day, same size: ADI 3, CV² 0
        ([0, 0, 1, 0, 0, 20] * 10, DemandClass.LUMPY),  # every 3rd day, sizes 1/20: ADI 3, CV² ≈ 1.66
        ([0] * 30, DemandClass.NONE),
    ],
)
def test_textbook_classes(series, expected):
    assert classify_demand(series).demand_class == expected


def test_cut_offs_are_inclusive_on_the_frequent_and_steady_side():
    """ADI = 1.32 exactly (25 demands, the last on day 33) is still 'frequent'."""
    series = [0.0] * 8 + [1.0] * 25  # the first interval counts from the start: 9, then 1 × 24 → 33/25
    c = classify_demand(series)
    assert c.adi == pytest.approx(1.32)
    assert c.demand_class == DemandClass.SMOOTH
    assert classify_demand([0.0] * 9 + [1.0] * 25).demand_class == DemandClass.INTERMITTENT  # 34/25 = 1.36


def test_classify_many_matches_one_by_one_and_ignores_leading_nan():
    rng = np.random.default_rng(3)
    y = np.where(rng.random((30, 90)) < rng.uniform(0.1, 1, (30, 1)), rng.integers(1, 20, (30, 90)), 0.0)
    classes, adi, cv2 = classify_many(y)
    for i in range(30):
        one = classify_demand(y[i])
        assert (classes[i], adi[i]) == (one.demand_class, pytest.approx(one.adi))
    late = np.r_[np.full(10, np.nan), Y]
    assert classify_demand(late).adi == pytest.approx(19 / 6)


def test_default_policy_sends_each_class_to_its_model():
    rng = np.random.default_rng(11)
    t = 140
    smooth = rng.poisson(30, t)
    intermittent = np.where(np.arange(t) % 4 == 0, 5, 0)
    lumpy = np.zeros(t)
    lumpy[::4] = np.resize([1, 30], len(lumpy[::4]))  # every 4th day, sizes 1 and 30
    batch = forecast_many(np.vstack([smooth, intermittent, lumpy]), h=7, ids=["a", "b", "c"])
    assert batch.demand_class.tolist() == [DemandClass.SMOOTH, DemandClass.INTERMITTENT, DemandClass.LUMPY]
    assert batch.model.tolist() == [DEFAULT_POLICY[c] for c in batch.demand_class] == ["seasonal_es", "sba", "tsb"]
    assert batch.row(1).id == "b"


def test_short_history_uses_the_mean():
    fc = forecast_series([np.nan] * 50 + [2, 4, 0, 6], h=3)
    assert fc.model == "mean"
    assert fc.mean.tolist() == [3.0, 3.0, 3.0]


# ---------------------------------------------------------------------------------------------------------
# intervals, σ, campaign uplift


def test_interval_is_mean_plus_minus_z_sigma_clipped_at_zero():
    fc = forecast_series(Y, h=2, model="sba", level=80)
    z = 1.2815515655446004  # Φ⁻¹(0.9): the central 80 % interval
    assert fc.level == 80
    np.testing.assert_allclose(fc.upper, fc.mean + z * fc.sigma)
    np.testing.assert_allclose(fc.lower, np.maximum(fc.mean - z * fc.sigma, 0))
    assert fc.sigma > 0


def test_sigma_is_the_rms_one_step_error_after_the_first_week():
    y = np.tile([10.0, 12, 11, 9, 14, 20, 18], 8)
    fc = forecast_series(y, h=7)
    assert fc.model == "seasonal_es"
    assert fc.sigma == pytest.approx(0.0, abs=1e-6)  # a perfectly weekly series is predicted exactly
    np.testing.assert_allclose(fc.mean, y[:7], atol=1e-6)


def test_future_uplift_multiplies_mean_and_interval():
    y = np.tile([10.0, 12, 11, 9, 14, 20, 18], 8) + np.tile([0, 1], 28)
    plain = forecast_series(y, h=7)
    up = np.array([1, 1, 3.0, 1, 1, 1, 0.5])
    lifted = forecast_series(y, h=7, future_uplift=up)
    np.testing.assert_allclose(lifted.mean, plain.mean * up)
    np.testing.assert_allclose(lifted.lower, plain.lower * up)
    np.testing.assert_allclose(lifted.upper, plain.upper * up)
    assert lifted.sigma == plain.sigma  # σ stays the everyday σ


def test_masked_campaign_days_do_not_teach_the_model():
    """A ×5 spike on masked days is replaced by the same weekday a week earlier: same forecast as no spike."""
    base = np.tile([10.0, 12, 11, 9, 14, 20, 18], 10)
    spiked = base.copy()
    spiked[[50, 51]] *= 5
    mask = np.zeros(70, dtype=bool)
    mask[[50, 51]] = True
    clean = forecast_series(base, h=7)
    masked = forecast_series(spiked, h=7, history_mask=mask)
    unmasked = forecast_series(spiked, h=7)
    np.testing.assert_allclose(masked.mean, clean.mean)
    assert masked.sigma == pytest.approx(clean.sigma)
    assert unmasked.mean.sum() > clean.mean.sum()


def test_history_uplift_divides_known_uplifted_days():
    base = np.tile([10.0, 12, 11, 9, 14, 20, 18], 10)
    uplift = np.ones(70)
    uplift[60:62] = 4.0
    cleaned, start, masked = clean_history(base * uplift, history_uplift=uplift)
    np.testing.assert_allclose(cleaned[0], base)
    assert start.tolist() == [0] and not masked.any()


def test_clean_history_fills_interior_nan_and_keeps_leading_nan():
    y = np.array([[np.nan, np.nan, 1, 2, 3, 4, 5, 6, 7, np.nan, 9]])
    cleaned, start, masked = clean_history(y)
    assert start.tolist() == [2]
    assert np.isnan(cleaned[0, :2]).all()
    assert cleaned[0, 9] == 1.0  # the same weekday a week earlier (day 2)
    assert masked[0].tolist() == [False] * 9 + [True, False]


def test_daily_demand_averages_the_uplifted_window_and_extends_with_the_everyday_week():
    y = np.tile([10.0, 12, 11, 9, 14, 20, 18], 8)
    up = np.ones(7)
    up[0] = 3
    batch = forecast_many(y, h=7, future_uplift=up)
    week = y[:7]
    assert batch.daily_demand(1)[0] == pytest.approx(30.0, rel=1e-6)
    assert batch.daily_demand(7)[0] == pytest.approx((week.sum() + 20) / 7, rel=1e-6)
    assert batch.daily_demand(14)[0] == pytest.approx((2 * week.sum() + 20) / 14, rel=1e-6)


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError):
        forecast_series([1, -1, 2])
    with pytest.raises(ValueError):
        forecast_series(Y, model="prophet")
    with pytest.raises(ValueError):
        forecast_series(Y, level=100)
    with pytest.raises(ValueError):
        forecast_many(np.ones((2, 30)), ids=["only-one"])


# ---------------------------------------------------------------------------------------------------------
# backtest


def test_backtest_on_a_hand_computed_series():
    """Train on Y (20 days), test [1, 0, 6, 0], Croston: f = 1.044459 each day.

    ours: |1−f| + f + |6−f| + f = 5 + 2f = 7.088918 → WAPE = 7.088918 / 7; MAE = 7.088918 / 4.
    seasonal naive repeats Y[13:20] = [0,0,0,6,...] → [0, 0, 0, 6]: errors 1, 0, 6, 6 = 13 → WAPE 13/7.
    MASE scale: mean |y_t − y_{t−7}| over t = 7..19 of Y = (2+3+4+5+2+6+3)/13 = 25/13.
    """
    f = PUBLISHED["croston"]
    res = backtest(Y + [1, 0, 6, 0], h=4, n_windows=1, model="croston")
    assert [w["origin"] for w in res.windows] == [20]
    assert res.model.wape == pytest.approx((5 + 2 * f) / 7, abs=1e-6)
    assert res.baseline.wape == pytest.approx(13 / 7)
    assert res.model.mase == pytest.approx((5 + 2 * f) / 4 / (25 / 13), abs=1e-6)
    assert res.baseline.mase == pytest.approx(13 / 4 / (25 / 13))
    assert res.beats_baseline


def test_backtest_rolling_origins_and_masked_test_days():
    y = Y + [1, 0, 6, 0]
    res = backtest(y, h=2, n_windows=3, model="croston")
    assert [w["origin"] for w in res.windows] == [18, 20, 22]
    mask = np.zeros(24, dtype=bool)
    mask[22] = True  # the 6 of a campaign day is not scored
    one = backtest(y, h=4, n_windows=1, model="croston", history_mask=mask)
    f = PUBLISHED["croston"]
    assert one.model.wape == pytest.approx(((f - 1) + f + f) / 1, abs=1e-6)


def test_backtest_seasonal_naive_is_perfect_on_a_weekly_series():
    y = np.tile([3.0, 1, 4, 1, 5, 9, 2], 12)
    res = backtest(np.vstack([y, 2 * y]), h=7, n_windows=3)
    assert res.baseline.wape == 0.0
    assert res.baseline.mase == 0.0 or math.isnan(res.baseline.mase)  # zero scale: perfect seasonality
    assert res.model.wape == pytest.approx(0.0, abs=1e-6)


def test_seasonal_naive_repeats_the_last_week():
    hist = np.arange(14.0)[None, :]
    assert seasonal_naive(hist, 9).tolist() == [[7, 8, 9, 10, 11, 12, 13, 7, 8]]


def test_ets_option_uses_the_models_own_intervals():
    """model="ets": AutoETS(season_length=7) with its own 80 % interval (not the ±zσ approximation)."""
    rng = np.random.default_rng(0)
    y = np.tile([10.0, 12, 11, 9, 14, 20, 18], 10) + rng.normal(0, 1, 70)
    fc = forecast_series(y, h=14, model="ets")
    assert fc.model == "ets"
    assert (fc.lower <= fc.mean).all() and (fc.mean <= fc.upper).all()
    np.testing.assert_allclose(fc.mean[:7], [10, 12, 11, 9, 14, 20, 18], atol=1.5)  # the weekday pattern
    assert 0.5 < fc.sigma < 1.5  # the noise sd is 1


def test_empty_batch():
    batch = forecast_many(np.empty((0, 100)), h=5)
    assert len(batch) == 0 and batch.mean.shape == (0, 5) and batch.daily_demand(7).shape == (0,)


def test_as_dict_is_json_ready():
    import json

    d = forecast_series(Y, h=2).as_dict()
    assert json.loads(json.dumps(d))["demand_class"] == "intermittent"
    assert d["model"] == "sba" and d["level"] == 80 and len(d["mean"]) == 2


# ---------------------------------------------------------------- promotion days as known uplift events


def test_uplift_ratio_is_promotion_sales_over_the_surrounding_ordinary_days():
    """A flat 10/day SKU selling 40 on three promotion days: ratio (120 + 3·4) / (30 + 3) = 4 exactly (its
    own group's pooled ratio is 4 too, so the shrinkage changes nothing)."""
    y = np.full(120, 10.0)
    promo = np.zeros(120, dtype=bool)
    promo[[60, 61, 62]] = True
    y[promo] = 40.0
    np.testing.assert_allclose(estimate_uplift(y[None, :], promo), [4.0])
    # no promotion days at all → 1 (nothing to learn); a pre-launch SKU (NaN history) → the group's ratio
    assert estimate_uplift(y[None, :], np.zeros(120, dtype=bool))[0] == 1.0
    Y = np.vstack([y, np.full(120, np.nan)])
    np.testing.assert_allclose(estimate_uplift(Y, promo), [4.0, 4.0])


def test_a_sku_with_little_evidence_is_shrunk_toward_its_category():
    days = 120
    promo = np.zeros(days, dtype=bool)
    promo[[30, 90]] = True
    big = np.full(days, 50.0)
    big[promo] = 150.0  # ×3, lots of evidence
    quiet = np.zeros(days)
    quiet[[10, 50, 90]] = 1.0  # one unit happens to fall on a promotion day: raw ratio ≈ 30
    other = np.full(days, 50.0)
    other[promo] = 50.0  # another category: no uplift
    ratio = estimate_uplift(np.vstack([big, quiet, other]), promo, groups=["a", "a", "b"])
    assert ratio[0] == pytest.approx(3.0, rel=0.01)
    assert 1.0 < ratio[1] < 10.0  # pulled toward category a's 3, far from its own raw 30
    assert ratio[2] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        estimate_uplift(np.vstack([big, quiet]), promo, groups=["a"])


def test_a_double_eleven_spike_forecasts_the_next_promotion_days_higher():
    """Campaign days as known uplift events. A SKU selling ×5 on last year's 双11-style days is
    forecast ×5 on the next promotion days, and its ordinary days are not inflated by the spike."""
    weekly = np.tile([10.0, 12, 11, 9, 14, 20, 18], 20)  # 140 days
    promo = np.zeros(140, dtype=bool)
    promo[[40, 41, 42, 100, 101]] = True
    y = weekly.copy()
    y[promo] *= 5
    future = np.zeros(14, dtype=bool)
    future[[3, 4]] = True
    up = promotion_uplift(y, promo, future)
    assert up.ratio[0] == pytest.approx(5.0, rel=0.1)
    lifted = forecast_many(y[None, :], h=14, history_uplift=up.history_uplift, future_uplift=up.future_uplift)
    clean = forecast_many(weekly[None, :], h=14)
    ordinary = ~future
    np.testing.assert_allclose(lifted.mean[0, ordinary], clean.mean[0, ordinary], rtol=0.1)
    for day in (3, 4):  # ×5 the same weekday's everyday forecast, above every ordinary day
        assert lifted.mean[0, day] == pytest.approx(5 * clean.mean[0, day], rel=0.15)
        assert lifted.mean[0, day] > 2 * lifted.mean[0, ordinary].max()
    # without the promotion signal the spikes leak into every day's forecast
    naive = forecast_many(y[None, :], h=14)
    assert naive.mean[0, 3] < lifted.mean[0, 3]


def test_backtest_with_promotion_days_scores_them_and_beats_seasonal_naive():
    rng = np.random.default_rng(3)
    weekly = np.tile([10.0, 12, 11, 9, 14, 20, 18], 30)  # 210 days
    promo = np.zeros(210, dtype=bool)
    promo[[50, 51, 120, 121, 190, 191, 204]] = True  # the last windows hold promotion days too
    Y = np.vstack([weekly * f for f in (1.0, 2.0, 0.5)]) + rng.normal(0, 0.5, (3, 210))
    Y[:, promo] *= 4
    Y = np.clip(Y, 0, None)
    with_promo = backtest(Y, h=7, n_windows=4, promo=promo)
    without = backtest(Y, h=7, n_windows=4)
    assert with_promo.model.wape < without.model.wape
    assert with_promo.model.wape < with_promo.baseline.wape
    assert with_promo.model.mase < with_promo.baseline.mase
    assert set(with_promo.as_dict()) >= {"model", "seasonal_naive", "windows"}
