"""DSR by Taobao's rules (docs/rules/dsr.md): the monthly cap, the 180-day window, default ratings, rounding,
the trend and the effect of each bad review — on the pure module, then on stored reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.service.dsr import (
    Rating,
    assess,
    columns_of,
    counted_by_cap,
    effects,
    is_bad,
    is_default_text,
    rounded,
    shown,
    trend,
)

TZ = "Asia/Shanghai"
SH = dt.timezone(dt.timedelta(hours=8))


def at(day: int, hour: int = 10, month: int = 3) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, tzinfo=SH)


def vector() -> list[Rating]:
    """Buyer X rates 描述相符 5, 5, 5, 1 in March; six other ratings are 5, 4, 4, 5, 3, 5."""
    x = [Rating(f"x{i}", "X", at(1 + i), description=s) for i, s in enumerate((5, 5, 5, 1))]
    others = [Rating(f"o{i}", f"B{i}", at(10 + i), description=s) for i, s in enumerate((5, 4, 4, 5, 3, 5))]
    return x + others


def test_the_issue_vector_counts_three_ratings_of_x():
    result = assess(vector(), dt.date(2024, 4, 1), TZ).dimensions["description"]
    assert result.score == Decimal("4.56")
    assert result.excluded == (("x3", "over_cap"),)
    assert len(result.counted) == 9 and result.total == 41


def test_without_the_cap_the_vector_is_4_20():
    uncapped = [Rating(r.key, r.key, r.at, description=r.description) for r in vector()]  # ten buyers
    assert assess(uncapped, dt.date(2024, 4, 1), TZ).dimensions["description"].score == Decimal("4.20")


def test_the_cap_is_per_dimension_first_three_by_time():
    ratings = [Rating("a", "X", at(1), description=5, service=None),
               Rating("b", "X", at(2), description=5, service=1),
               Rating("c", "X", at(3), description=5, service=1),
               Rating("d", "X", at(4), description=1, service=1)]
    result = assess(ratings, dt.date(2024, 3, 31), TZ).dimensions
    assert result["description"].excluded == (("d", "over_cap"),)
    assert result["service"].counted == ("b", "c", "d") and result["service"].score == Decimal("1.00")


def test_a_new_natural_month_in_the_shops_zone_opens_three_new_slots():
    # 2024-03-31 23:30 in Shanghai is still March; 2024-03-31 16:30 UTC is 2024-04-01 00:30 there
    ratings = [Rating(f"m{i}", "X", at(1 + i), description=5) for i in range(3)]
    ratings += [Rating("late", "X", dt.datetime(2024, 3, 31, 23, 30, tzinfo=SH), description=1),
                Rating("april", "X", dt.datetime(2024, 3, 31, 16, 30, tzinfo=dt.UTC), description=1)]
    result = assess(ratings, dt.date(2024, 4, 2), TZ).dimensions["description"]
    assert dict(result.excluded) == {"late": "over_cap"} and "april" in result.counted


def test_ties_of_time_are_broken_by_key_whatever_the_input_order():
    same = at(5)
    ratings = [Rating(k, "X", same, description=s) for k, s in (("d", 1), ("a", 5), ("c", 5), ("b", 5))]
    assert dict(assess(ratings, dt.date(2024, 3, 31), TZ).dimensions["description"].excluded) == {"d": "over_cap"}


def test_the_window_is_180_days_ending_on_the_as_of_date():
    ratings = [Rating("old", "A", at(1), description=1), Rating("new", "B", at(2), description=5)]
    day_179 = dt.date(2024, 3, 1) + dt.timedelta(days=179)  # the window of this day starts on 03-01
    assert assess(ratings, day_179, TZ).dimensions["description"].score == Decimal("3.00")
    later = assess(ratings, day_179 + dt.timedelta(days=1), TZ).dimensions["description"]
    assert later.score == Decimal("5.00") and later.excluded == (("old", "outside_window"),)


def test_a_rating_over_the_cap_stays_excluded_when_the_months_first_ratings_leave_the_window():
    ratings = [Rating(f"x{i}", "X", at(1 + i), description=5) for i in range(3)]
    ratings.append(Rating("x3", "X", at(20), description=1))
    as_of = dt.date(2024, 3, 10) + dt.timedelta(days=179)  # x0..x2 (03-01..03-03) are outside, x3 inside
    result = assess(ratings, as_of, TZ).dimensions["description"]
    assert result.score is None and ("x3", "over_cap") in result.excluded


def test_default_ratings_never_count_nor_take_a_slot():
    ratings = [Rating("d", "X", at(1), description=5, service=5, logistics=5, is_default=True)]
    ratings += [Rating(f"x{i}", "X", at(2 + i), description=4) for i in range(3)]
    result = assess(ratings, dt.date(2024, 3, 31), TZ)
    assert result.dimensions["description"].counted == ("x0", "x1", "x2")
    assert result.dimensions["description"].excluded == (("d", "default"),)
    assert result.totals.excluded == {"over_cap": 0, "default": 1} and result.totals.counted == 3
    assert is_default_text("评价方未及时做出评价,系统默认好评!") and not is_default_text("很好")


def test_no_ratings_no_score():
    assert assess([], dt.date(2024, 3, 31), TZ).dimensions["service"].score is None
    assert shown(0, 0) is None


@pytest.mark.parametrize(("total", "count", "expected"), [
    (41, 9, "4.56"), (42, 10, "4.20"), (911, 200, "4.56"), (909, 200, "4.55"), (1, 3, "0.33"), (5, 1, "5.00")])
def test_scores_round_half_up_on_the_exact_fraction(total, count, expected):
    assert shown(total, count) == Decimal(expected)


def test_negative_differences_round_away_from_zero_at_a_tie():
    from fractions import Fraction

    assert rounded(Fraction(-1, 20000), 4) == Decimal("-0.0001")


def test_the_trend_is_each_days_own_window():
    ratings = vector() + [Rating("late", "L", at(20), description=1)]
    days = dict(trend(ratings, dt.date(2024, 3, 9), dt.date(2024, 3, 21), TZ))
    assert days[dt.date(2024, 3, 9)]["description"] == Decimal("5.00")  # x0..x2; x3 over the cap
    assert days[dt.date(2024, 3, 19)]["description"] == Decimal("4.56")
    assert days[dt.date(2024, 3, 21)]["description"] == Decimal("4.20")  # 42 / 10 with "late"
    end = dt.date(2024, 3, 1) + dt.timedelta(days=185)
    tail = dict(trend(ratings, end - dt.timedelta(days=1), end, TZ))
    for day, scores in tail.items():  # agrees with assess on every day
        assert scores["description"] == assess(ratings, day, TZ).dimensions["description"].score


def test_removing_a_counted_bad_review_lets_the_buyers_fourth_rating_count():
    ratings = [Rating("x0", "X", at(1), description=1), Rating("x1", "X", at(2), description=5),
               Rating("x2", "X", at(3), description=5), Rating("x3", "X", at(4), description=5),
               Rating("o", "O", at(5), description=4)]
    as_of = dt.date(2024, 3, 31)
    effect = next(e for e in effects(ratings, as_of, TZ) if e.rating.key == "x0")
    assert assess(ratings, as_of, TZ).dimensions["description"].score == Decimal("3.75")  # (1+5+5+4)/4
    assert effect.without["description"] == Decimal("4.75")  # x3 counts: (5+5+5+4)/4
    assert effect.rise["description"] == Decimal("1.0000")
    assert effect.without == {**effect.without, "service": None}


def test_an_effect_matches_a_recomputation_without_the_review():
    ratings = vector() + [Rating("bad", "Y", at(15), description=2, service=1, logistics=5)]
    as_of = dt.date(2024, 4, 1)
    for effect in effects(ratings, as_of, TZ):
        rest = [r for r in ratings if r.key != effect.rating.key]
        again = assess(rest, as_of, TZ).dimensions
        assert effect.without == {d: again[d].score for d in again}
    assert {e.rating.key for e in effects(ratings, as_of, TZ)} == {"x3", "bad"}
    assert is_bad(ratings[-1]) and not is_bad(Rating("d", "D", at(1), description=1, is_default=True))


score = st.one_of(st.none(), st.integers(1, 5))
rating_st = st.builds(lambda buyer, day, hour, d, s, lo, default: (buyer, day, hour, d, s, lo, default),
                      st.sampled_from("ABCD"), st.integers(1, 60), st.integers(0, 23), score, score, score,
                      st.booleans())


def _ratings(raw) -> list[Rating]:
    start = dt.datetime(2024, 2, 1, tzinfo=SH)
    return [Rating(f"k{i}", b, start + dt.timedelta(days=day, hours=hour), description=d, service=s, logistics=lo,
                   is_default=default) for i, (b, day, hour, d, s, lo, default) in enumerate(raw)]


@settings(max_examples=80, deadline=None)
@given(st.lists(rating_st, max_size=30), st.randoms(use_true_random=False))
def test_the_input_order_is_irrelevant(raw, rng):
    ratings = _ratings(raw)
    shuffled = list(ratings)
    rng.shuffle(shuffled)
    as_of = dt.date(2024, 3, 20)
    assert assess(ratings, as_of, TZ) == assess(shuffled, as_of, TZ)


@settings(max_examples=80, deadline=None)
@given(st.lists(rating_st, max_size=30))
def test_the_cap_never_increases_what_counts(raw):
    columns = columns_of(_ratings(raw), TZ)
    for dimension in ("description", "service", "logistics"):
        eligible = (columns.scores[dimension] > 0) & ~columns.default
        capped = columns.counted(dimension)
        assert not (capped & ~eligible).any() and capped.sum() <= eligible.sum()
        group = columns.buyer * 65_536 + (columns.day // 31)
        assert (counted_by_cap(group, columns.order, eligible, cap=len(raw) + 1) == eligible).all()


def test_the_column_core_handles_no_rows():
    empty = np.zeros(0, dtype=np.int64)
    assert counted_by_cap(empty, empty, empty.astype(bool)).shape == (0,)


@settings(max_examples=60, deadline=None)
@given(st.lists(rating_st, min_size=1, max_size=30))
def test_the_one_key_sort_and_the_two_key_sort_agree(raw):
    columns = columns_of(_ratings(raw), TZ)
    group = columns.buyer * 65_536 + (columns.day // 31)
    eligible = columns.scores["service"] > 0
    by_two_keys = counted_by_cap(group, columns.order, eligible, idx=np.lexsort((columns.order, group)))
    assert (counted_by_cap(group, columns.order, eligible) == by_two_keys).all()
    spread = columns.order * 1_000_003  # not a rank: the two-key sort is used
    assert (counted_by_cap(group, spread, eligible) == by_two_keys).all()


def test_the_benchmark_agrees_with_hand_written_sql():
    from tests.benchmarks.runner import run_benchmark

    result = run_benchmark("service.py", "--phase", "dsr", "--reviews", "20000", timeout=300)
    (dsr,) = result["phases"]
    assert dsr["agree"] is True and dsr["reviews"] == 20000 and dsr["counted"]["description"] > 0
