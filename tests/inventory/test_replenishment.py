"""Replenishment: safety stock, reorder point, order-up-to, MOQ and case-pack rounding.

Pure tests (no database). Textbook vectors from docs/rules/inventory-science.md#replenishment-test-vectors:
the hand vector (D̄ = 50/day, σ_D = 5, L̄ = 6 d, σ_L = 2 d, CSL 0.90) and the stockpyl 1.0.2 docstring
examples of Snyder & Shen, *Fundamentals of Supply Chain Theory* 2nd ed. (Ex 4.3 newsvendor, Ex 5.1
(r, Q) EOQ + SS approximation), re-run there.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopops.inventory.forecast import forecast_many
from shopops.inventory.replenishment import (
    ABOVE_REORDER_POINT,
    COVERED,
    NO_DEMAND,
    REORDER,
    REORDER_MOQ,
    explain,
    lead_time_sigma,
    plan_replenishment,
    reorder_point,
    round_order_qty,
    safety_stock,
    z_for,
)

HAND = {"demand_daily": 50, "sigma_daily": 5, "lead_time_days": 6, "lead_time_sigma_days": 2}


# ---------------------------------------------------------------------------------------------------------
# textbook vectors


def test_hand_vector_of_science_anchors_section_3():
    """D̄=50, σ_D=5, L̄=6, σ_L=2, CSL 0.90 → σ_DL=100.7472, z=1.2815516, SS=129.1127, ROP=429.1127 [V]."""
    assert float(lead_time_sigma(**HAND)) == pytest.approx(100.7472, abs=5e-5)
    assert float(z_for(0.90)) == pytest.approx(1.2815516, abs=5e-8)
    assert float(safety_stock(**HAND, service_level=0.90)) == pytest.approx(129.1127, abs=5e-5)
    assert float(reorder_point(**HAND, service_level=0.90)) == pytest.approx(429.1127, abs=5e-5)


def test_snyder_shen_example_4_3_newsvendor_base_stock():
    """h=0.18, p=0.70, demand N(50, 8²): S* = F⁻¹(p/(p+h)) = 56.60395592743389 (stockpyl,
    docs/rules/inventory-science.md#replenishment-test-vectors).

    A one-period base stock is our reorder point with d = 50, σ_d = 8, L = 1, no lead-time variability and
    the critical ratio as service level.
    """
    rop = reorder_point(demand_daily=50, sigma_daily=8, lead_time_days=1, service_level=0.70 / (0.70 + 0.18))
    assert float(rop) == pytest.approx(56.60395592743389, rel=1e-12)


def test_snyder_shen_example_5_1_eoq_plus_safety_stock_reorder_point():
    """(r, Q) EOQ + SS approximation, λ=1300/yr, σ=150/yr, L=1/12 yr, h=0.225, p=7.5: r = 190.3369965715624.

    r = λL + z·σ·√L with z = Φ⁻¹(p/(p+h)) — our formula in years (any time unit works if d, σ, L agree).
    """
    rop = reorder_point(demand_daily=1300, sigma_daily=150, lead_time_days=1 / 12, service_level=7.5 / 7.725)
    assert float(rop) == pytest.approx(190.3369965715624, rel=1e-12)


def test_lead_time_variability_adds_in_quadrature():
    """σ_DL² = L·σ_d² + d²·σ_L²: with no demand noise σ_DL = d·σ_L, with a fixed lead time √L·σ_d."""
    assert float(lead_time_sigma(demand_daily=50, sigma_daily=0, lead_time_days=6, lead_time_sigma_days=2)) == 100
    assert float(lead_time_sigma(demand_daily=50, sigma_daily=5, lead_time_days=9)) == 15


# ---------------------------------------------------------------------------------------------------------
# the plan


def test_plan_orders_up_to_rop_plus_review_demand_rounded_to_case_packs():
    """P = 400 ≤ ROP 429.11 → S = ROP + d·R = 429.11 + 350 = 779.11, need 379.11 → 32 cases of 12 = 384."""
    plan = plan_replenishment(on_hand=400, **HAND, service_level=0.90, review_days=7, case_pack=12)
    row = plan.row(0)
    assert row["safety_stock"] == 129.11
    assert row["reorder_point"] == 429.11
    assert row["order_up_to"] == 779.11
    assert row["suggested_qty"] == 384
    assert row["reason"] == REORDER
    assert row["reason_params"]["raw_qty"] == 379.11
    assert row["reason_params"]["days_of_cover"] == 8.0


def test_position_counts_in_transit_reserved_and_backorders():
    """P = on_hand + in_transit − reserved − backorders = 300 + 200 − 30 − 20 = 450 > ROP → no order."""
    plan = plan_replenishment(
        on_hand=300, in_transit=200, reserved=30, backorders=20, **HAND, service_level=0.90, review_days=7
    )
    assert plan.position[0] == 450
    assert plan.suggested_qty[0] == 0
    assert plan.reason[0] == ABOVE_REORDER_POINT
    more_reserved = plan_replenishment(
        on_hand=300, in_transit=200, reserved=60, backorders=20, **HAND, service_level=0.90, review_days=7
    )
    assert more_reserved.position[0] == 420
    assert more_reserved.suggested_qty[0] == math.ceil(779.1127426467684 - 420)


def test_zero_when_above_the_reorder_point_even_below_order_up_to():
    plan = plan_replenishment(on_hand=430, **HAND, service_level=0.90, review_days=7)
    assert plan.order_up_to[0] > 430 > plan.reorder_point[0]
    assert (plan.suggested_qty[0], plan.reason[0]) == (0, ABOVE_REORDER_POINT)


def test_at_the_reorder_point_with_no_review_period_nothing_is_needed():
    rop = float(reorder_point(**HAND, service_level=0.90))
    plan = plan_replenishment(on_hand=rop, **HAND, service_level=0.90, review_days=0, moq=100)
    assert (plan.suggested_qty[0], plan.reason[0]) == (0, COVERED)  # the MOQ does not create a need


def test_zero_demand_orders_nothing_unless_customers_are_owed():
    plan = plan_replenishment(on_hand=[0, 5, 0], backorders=[0, 0, 3], demand_daily=0, sigma_daily=0,
                              lead_time_days=7, review_days=7, moq=10, case_pack=4)
    assert plan.suggested_qty.tolist() == [0, 0, 12]  # 3 owed → 1 case of 4 → raised to the MOQ 10 → 3 cases
    assert plan.reason.tolist() == [NO_DEMAND, NO_DEMAND, REORDER_MOQ]
    assert math.isinf(plan.days_of_cover[0])
    assert plan.row(0)["reason_params"]["days_of_cover"] is None


def test_huge_moq_is_ordered_whole_and_reported():
    plan = plan_replenishment(on_hand=0, demand_daily=1, sigma_daily=1, lead_time_days=7, review_days=7,
                              moq=1_000_000, case_pack=1)
    assert plan.suggested_qty[0] == 1_000_000
    assert plan.reason[0] == REORDER_MOQ
    assert plan.suggested_qty.dtype == np.int64


@pytest.mark.parametrize(
    ("raw", "moq", "case_pack", "qty"),
    [
        (0, 50, 12, 0),  # nothing needed: the MOQ does not apply
        (-5, 0, 1, 0),
        (1e-12, 0, 1, 0),  # float noise is not a need
        (0.2, 0, 1, 1),  # never a fraction of a unit
        (24, 0, 12, 24),  # exactly two cases stays two cases
        (24.000000001, 0, 12, 24),  # float noise around a whole case
        (24.01, 0, 12, 36),
        (5, 50, 12, 60),  # MOQ 50 rounded up to whole cases
        (5, 48, 12, 48),
        (61, 50, 12, 72),  # above the MOQ: case rounding only
        (7, 0, 1, 7),
    ],
)
def test_round_order_qty(raw, moq, case_pack, qty):
    assert int(round_order_qty(raw, moq=moq, case_pack=case_pack)) == qty


@given(
    raw=st.floats(min_value=0, max_value=1e6, allow_nan=False),
    moq=st.integers(min_value=0, max_value=10_000),
    case_pack=st.integers(min_value=1, max_value=500),
)
def test_rounding_properties(raw, moq, case_pack):
    qty = int(round_order_qty(raw, moq=moq, case_pack=case_pack))
    if raw <= 1e-9:
        assert qty == 0
        return
    assert qty % case_pack == 0
    assert qty >= moq
    assert qty >= raw - 1e-6
    assert qty - raw < case_pack or qty - moq < case_pack  # no more than one case beyond what binds


def test_vectorised_plan_equals_one_sku_at_a_time():
    rng = np.random.default_rng(5)
    n = 500
    args = {
        "on_hand": rng.integers(0, 500, n), "in_transit": rng.integers(0, 100, n),
        "reserved": rng.integers(0, 10, n), "demand_daily": rng.gamma(2, 5, n), "sigma_daily": rng.gamma(2, 2, n),
        "lead_time_days": rng.choice([3, 7, 14], n), "lead_time_sigma_days": rng.choice([0, 1, 3], n),
        "review_days": rng.choice([0, 7], n), "service_level": rng.choice([0.9, 0.95, 0.99], n),
        "moq": rng.choice([0, 20, 100], n), "case_pack": rng.choice([1, 6, 24], n),
    }
    plan = plan_replenishment(**args)
    assert len(plan) == n
    for i in range(0, n, 37):
        one = plan_replenishment(**{k: v[i] for k, v in args.items()})
        assert one.suggested_qty[0] == plan.suggested_qty[i]
        assert one.reason[0] == plan.reason[i]
        assert one.reorder_point[0] == pytest.approx(plan.reorder_point[i])
    ordered = plan.suggested_qty > 0
    assert (plan.position[ordered] <= plan.reorder_point[ordered] + 1e-9).all()
    assert (plan.suggested_qty[~ordered] == 0).all()


def test_campaign_inside_the_lead_time_raises_the_order():
    """forecast → replenishment: a ×3 day inside L + R raises d over the window, hence ROP and the order."""
    y = np.tile([10.0, 12, 11, 9, 14, 20, 18], 8)
    up = np.ones(28)
    up[3] = 3.0
    plain, lifted = forecast_many(y, h=28), forecast_many(y, h=28, future_uplift=up)
    args = {"on_hand": 100, "lead_time_days": 7, "review_days": 7, "service_level": 0.95}
    a = plan_replenishment(demand_daily=plain.daily_demand(14), sigma_daily=plain.sigma, **args)
    b = plan_replenishment(demand_daily=lifted.daily_demand(14), sigma_daily=lifted.sigma, **args)
    assert b.demand_daily[0] == pytest.approx(a.demand_daily[0] + 2 * plain.mean[0, 3] / 14)
    assert b.suggested_qty[0] > a.suggested_qty[0]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"service_level": 1.0},
        {"service_level": 0.0},
        {"demand_daily": -1},
        {"sigma_daily": float("nan")},
        {"case_pack": 0},
        {"case_pack": 2.5},
        {"lead_time_days": -3},
    ],
)
def test_bad_inputs_raise_value_error(kwargs):
    args = {"on_hand": 10, "demand_daily": 1, "sigma_daily": 1, "lead_time_days": 7, **kwargs}
    with pytest.raises(ValueError):
        plan_replenishment(**args)


def test_reasons_render_in_english_and_chinese():
    plan = plan_replenishment(on_hand=[400, 500, 10], **HAND, service_level=0.90, review_days=7,
                              moq=[0, 0, 1000], case_pack=[12, 1, 6])
    rows = [plan.row(i) for i in range(3)]
    assert [r["reason"] for r in rows] == [REORDER, ABOVE_REORDER_POINT, REORDER_MOQ]
    assert _said(explain(rows[0]["reason"], rows[0]["reason_params"]), "en") == (
        "Stock position 400 is at or below the reorder point 429.11: order 384 to reach 779.11 "
        "(need 379.11, case pack 12)."
    )
    assert _said(explain(rows[1]["reason"], rows[1]["reason_params"]), "zh-hans") == (
        "库存位置 500 高于再订货点 429.11，不补货。"
    )
    assert "最小起订量 1000" in _said(explain(rows[2]["reason"], rows[2]["reason_params"]), "zh-hans")
    assert plan.counts() == {REORDER: 1, ABOVE_REORDER_POINT: 1, REORDER_MOQ: 1}


def _said(text, language: str) -> str:
    """The reason as the pages and the CLI say it (gettext in ``language``)."""
    from django.utils import translation

    from shopops.core.i18n import say

    with translation.override(language):
        return say(text)
