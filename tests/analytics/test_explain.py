"""GMV explanation: exact UV/CVR/AOV parts that add up to the change (domain.decompose_gmv), per group and total."""

from __future__ import annotations

import datetime as dt

import pytest

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.queries.explain import gmv_explain
from shopops.analytics.schemas import explain_json
from shopops.core.money import parse_fen
from tests.analytics.metrics_data import D1, D2, shop_data


@pytest.fixture
def tables():
    return MemoryTables(get_engine("duckdb"), shop_data())


def _sums(part: dict) -> None:
    assert sum(part["parts"].values()) == part["change"]  # fen, exactly


def test_day_two_vs_day_one_hand_checked(tables):
    """Day 1: UV 3, buyers 1, GMV 100.00; day 2: UV 2, buyers 2, GMV 70.00 → change −30.00 split exactly."""
    result = gmv_explain(tables, date_from=D2, date_to=D2, vs_from=D1, vs_to=D1)
    total = result["total"]
    assert total["before"] == {"uv": 3, "buyers": 1, "gmv": 10000, "cvr": 0.333333, "aov": 10000}
    assert total["after"]["gmv"] == 7000 and total["change"] == -3000
    _sums(total)
    # Shapley by hand (fen): factors (3, 1/3, 10000) → (2, 1, 3500).
    # UV  = ΔU·(C0A0/3 + (C1A0 + C0A1)/6 + C1A1/3) = −1·(1111.11 + 1861.11 + 1166.67) = −4138.89 fen
    # CVR = ΔC·(U0A0/3 + (U1A0 + U0A1)/6 + U1A1/3) = 2/3·(10000 + 5083.33 + 2333.33) = 11611.11 fen
    # AOV = ΔA·(U0C0/3 + (U1C0 + U0C1)/6 + U1C1/3) = −6500·(1/3 + 11/18 + 2/3) = −10472.22 fen
    assert total["parts"] == {"uv": -4139, "cvr": 11611, "aov": -10472}
    assert total["consistent"] is True


def test_zero_uv_period_is_all_uv(tables):
    """A period with no visitors (and no sales): the whole change is due to UV."""
    empty_from = dt.date(2026, 9, 1)
    result = gmv_explain(tables, date_from=D1, date_to=D2, vs_from=empty_from, vs_to=empty_from)
    total = result["total"]
    assert total["before"]["uv"] == 0 and total["change"] == 17000
    assert total["parts"] == {"uv": 17000, "cvr": 0, "aov": 0}
    _sums(total)


def test_groups_sum_exactly_and_gmv_changes_add_up(tables):
    result = gmv_explain(tables, date_from=D2, date_to=D2, vs_from=D1, vs_to=D1, by="channel")
    groups = {g["channel"]: g for g in result["groups"]}
    assert set(groups) == {"app", "site"}
    for g in groups.values():
        _sums(g)
    assert sum(g["change"] for g in groups.values()) == result["total"]["change"]
    assert groups["app"]["before"]["gmv"] == 0 and groups["app"]["after"]["gmv"] == 2000


def test_source_grouping(tables):
    result = gmv_explain(tables, date_from=D2, date_to=D2, vs_from=D1, vs_to=D1, by="source")
    assert {g["source"] for g in result["groups"]} == {"search", "direct"}
    for g in result["groups"]:
        _sums(g)


def test_sales_without_visitor_data_are_flagged():
    """GMV with no visitors at all cannot satisfy GMV = UV × CVR × AOV: said, not hidden."""
    data = shop_data()
    del data["events"]
    result = gmv_explain(MemoryTables(get_engine("duckdb"), data), date_from=D2, date_to=D2, vs_from=D1,
                         vs_to=D1)
    total = result["total"]
    assert total["consistent"] is False and total["basis"] == "buyers" and "gmv_without_visitors" in result["notes"]
    # buyers 1 → 2, AOV 100.00 → 35.00: buyers part = ΔB·(A0 + A1)/2 = 6750, AOV part = ΔA·(B0 + B1)/2 = −9750
    assert total["parts"] == {"uv": 6750, "cvr": 0, "aov": -9750}
    _sums(total)


def test_the_json_edge_writes_yuan_text_and_fen(tables):
    """The API/CLI JSON is what it was: money as yuan text, and in fen under ``parts_fen``/``change_fen``."""
    result = gmv_explain(tables, date_from=D2, date_to=D2, vs_from=D1, vs_to=D1, by="channel")
    data = explain_json(result)
    total = data["total"]
    assert total["before"] == {"uv": 3, "buyers": 1, "gmv": "100.00", "cvr": 0.333333, "aov": "100.00"}
    assert total["change"] == "-30.00" and total["change_fen"] == -3000
    assert total["parts"] == {"uv": "-41.39", "cvr": "116.11", "aov": "-104.72"}
    assert total["parts_fen"] == {"uv": -4139, "cvr": 11611, "aov": -10472}
    assert sum(parse_fen(v, allow_negative=True) for v in total["parts"].values()) == parse_fen(
        total["change"], allow_negative=True)
    assert [g["channel"] for g in data["groups"]] == [g["channel"] for g in result["groups"]]
    assert result["total"]["change"] == -3000  # the layer's result is left as numbers
