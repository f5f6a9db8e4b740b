"""The exact GMV = UV × CVR × AOV decomposition (analytics.domain)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from shopops.analytics.domain import Period, decompose_gmv, round_parts, shapley_parts


def test_a_hand_checked_change():
    # 1,000 visitors, 50 buyers, ¥5,000 → 1,200 visitors, 48 buyers, ¥4,608.
    d = decompose_gmv(Period(1000, 50, 500_000), Period(1200, 48, 460_800))
    assert d.change_fen == -39_200
    # Shapley parts: UV 88,266.67, CVR −107,733.33, AOV −19,733.33 (fen).
    assert d.exact_parts == {"uv": Fraction(264_800, 3), "cvr": Fraction(-323_200, 3), "aov": Fraction(-59_200, 3)}
    assert d.parts_fen == {"uv": 88_267, "cvr": -107_733, "aov": -19_734}
    assert sum(d.parts_fen.values()) == d.change_fen and d.consistent


def test_only_one_factor_moves():
    d = decompose_gmv(Period(1000, 50, 500_000), Period(2000, 100, 1_000_000))  # twice the visitors
    assert d.parts_fen == {"uv": 500_000, "cvr": 0, "aov": 0}


def test_a_period_with_no_visitors_puts_the_whole_change_on_uv():
    d = decompose_gmv(Period(0, 0, 0), Period(1200, 48, 460_800))
    assert d.parts_fen == {"uv": 460_800, "cvr": 0, "aov": 0} and d.consistent
    back = decompose_gmv(Period(1200, 48, 460_800), Period(0, 0, 0))
    assert back.parts_fen == {"uv": -460_800, "cvr": 0, "aov": 0}


def test_visitors_but_no_buyers():
    d = decompose_gmv(Period(500, 0, 0), Period(500, 10, 100_000))
    assert d.parts_fen["uv"] == 0 and sum(d.parts_fen.values()) == 100_000


def test_shapley_of_a_product_of_two_is_the_midpoint_rule():
    # For x·y the Shapley split is Δx·(y0+y1)/2 and Δy·(x0+x1)/2.
    assert shapley_parts((Fraction(2), Fraction(3)), (Fraction(4), Fraction(5))) == [Fraction(8), Fraction(6)]


counts = st.integers(min_value=0, max_value=10**7)


@given(counts, counts, counts, counts, counts, counts)
def test_parts_always_add_up_to_the_change_to_the_fen(uv0, b0, g0, uv1, b1, g1):
    before = Period(uv0, min(b0, uv0), g0 if min(b0, uv0) else 0)
    after = Period(uv1, min(b1, uv1), g1 if min(b1, uv1) else 0)
    d = decompose_gmv(before, after)
    assert sum(d.parts_fen.values()) == after.gmv_fen - before.gmv_fen
    assert sum(d.exact_parts.values()) == after.gmv_fen - before.gmv_fen
    for name, part in d.parts_fen.items():
        assert abs(part - d.exact_parts[name]) < 1 + 1e-9  # rounding moves a part by less than one fen
    assert d.consistent


def test_rounding_keeps_the_total():
    assert round_parts([Fraction(1, 3)] * 3, 1) == [1, 0, 0]
    assert round_parts([Fraction(-1, 3)] * 3, -1) == [0, 0, -1]
    assert round_parts([Fraction(5, 2), Fraction(-3, 2)], 1) == [3, -2]  # a tie goes to the first part


def test_rounding_inconsistent_parts_is_bulk_and_exact():
    parts = round_parts([Fraction(1), Fraction(2)], 10**12)  # parts far from the total: no fen-by-fen loop
    assert sum(parts) == 10**12 and abs(parts[0] - parts[1]) <= 2
    assert sum(round_parts([Fraction(1), Fraction(2)], -10**12 - 1)) == -10**12 - 1
