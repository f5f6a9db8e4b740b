"""The vectorised largest remainder (``allocate_rows``, ``allocate_groups``) gives ``allocate``'s numbers
(core/money.py is the one home of the rule, docs/rules/pricing.md#money-in-fen)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopops.core.money import allocate, allocate_groups, allocate_rows, remainder_order

AMOUNTS = st.one_of(st.integers(0, 10), st.integers(0, 10**6), st.integers(0, 10**14))


@st.composite
def _matrix(draw):
    n = draw(st.integers(1, 12))
    k = draw(st.integers(1, 11))  # past 8 columns the ranks come from a sort, below from comparisons
    weights = [draw(st.lists(AMOUNTS, min_size=k, max_size=k)) for _ in range(n)]
    totals = [draw(st.integers(-(10**12), 10**12) | st.integers(-30, 30)) for _ in range(n)]
    return totals, weights


@settings(max_examples=300, deadline=None)
@given(_matrix())
def test_rows_give_the_scalar_numbers(data):
    totals, weights = data
    expected = [allocate(total, row) for total, row in zip(totals, weights, strict=True)]
    big = max(max(row) for row in weights) >= 2**31 or max(abs(t) for t in totals) >= 2**31
    got = allocate_rows(np.array(totals, dtype=np.int64), np.array(weights, dtype=np.int64))
    assert got.tolist() == expected
    if big:  # Python integers in, the same numbers out
        assert allocate_rows(np.array(totals, dtype=object), np.array(weights, dtype=object)).tolist() == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(AMOUNTS, min_size=1, max_size=6), min_size=1, max_size=30), st.data())
def test_groups_give_the_scalar_numbers(groups, data):
    totals = [data.draw(st.integers(0, max(sum(g), 40))) for g in groups]
    starts = [0]
    for group in groups:
        starts.append(starts[-1] + len(group))
    flat = [w for group in groups for w in group]
    expected = [part for total, group in zip(totals, groups, strict=True) for part in allocate(total, group)]
    assert allocate_groups(totals, starts, flat).tolist() == expected


def test_examples_and_edges():
    rows = allocate_rows(np.array([100, 7, -100, 0]), np.array([[1, 1, 1], [0, 0, 0], [1, 1, 1], [0, 0, 0]]))
    assert rows.tolist() == [[34, 33, 33], [3, 2, 2], [-34, -33, -33], [0, 0, 0]]
    assert allocate_groups([], [0], []).tolist() == []
    assert allocate_groups([7, 5], [0, 2, 3], [0, 0, 9]).tolist() == [4, 3, 5]
    with pytest.raises(ValueError):
        allocate_groups([0, 0], [0, 1, 1], [5])
    with pytest.raises(ValueError):
        allocate_rows(np.array([5]), np.array([[1, -1]]))
    assert remainder_order([3, 5, 5, 0]) == [1, 2, 0, 3]
