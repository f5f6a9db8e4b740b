"""Retention cohorts on a hand-checked log: first-time cohorts (someone seen before the range is no cohort),
weekly cohorts from Monday, "on" activity per period, rates vs the cohort (docs/rules/analytics.md#retention,
PostHog retention)."""

from __future__ import annotations

import pytest

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.selectors.behaviour import retention_report
from shopops.core.errors import InvalidInput
from tests.analytics.behaviour_data import RETENTION_ROWS, events


def report(rows=RETENTION_ROWS, **kw):
    params = {"date_from": "2026-11-02", "date_to": "2026-11-17", **kw}
    return retention_report(shop=None, tables=MemoryTables(get_engine("duckdb"), events(rows)), **params)


def table(data):
    return {c["cohort"]: (c["users"], [p["users"] for p in c["periods"]]) for c in data["cohorts"]}


def test_weekly_cohort():
    data = report(period="week")
    assert table(data) == {"2026-11-02": (3, [3, 1, 2]), "2026-11-09": (1, [1, 0])}
    first = data["cohorts"][0]["periods"]
    assert [p["rate"] for p in first] == [1.0, 0.333333, 0.666667]
    assert data["max_period"] == 2


def test_first_buy_cohort_and_buy_activity():
    data = report(period="week", cohort="first_buy", active="buy")
    # r1 first buys on 11-04 (week 11-02) and again on 11-17 (week 2); r4 buys twice in its first week: once
    assert table(data) == {"2026-11-02": (1, [1, 0, 1]), "2026-11-09": (1, [1, 0])}


def test_daily_cohorts():
    data = report(date_to="2026-11-04")
    assert table(data) == {"2026-11-02": (1, [1, 0, 1]), "2026-11-03": (1, [1, 0])}


def test_empty_log():
    data = report(rows=[])
    assert data["cohorts"] == [] and data["max_period"] is None


@pytest.mark.parametrize(("kwargs", "field"), [({"period": "month"}, "period"), ({"cohort": "x"}, "cohort"),
                                               ({"active": "pv"}, "active")])
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as caught:
        report(**kwargs)
    assert [e.field for e in caught.value.errors] == [field]
