"""Conformance: every funnel mode, path and retention variant gives the same rows on DuckDB and on Spark
(docs/architecture.md#scale-out). The data sets are the hand-checked ones of tests/analytics."""

from __future__ import annotations

import pytest

from shopops.analytics.queries.funnels import MODES, funnel, person_levels
from shopops.analytics.queries.paths import path_edges, session_steps, top_paths
from shopops.analytics.queries.retention import retention
from tests.analytics.behaviour_data import DAY, FUNNEL_ROWS, PATH_ROWS, RETENTION_ROWS, at, events

STEPS = ["pv", "cart", "buy"]
END = DAY.replace(day=2)
TIES = [("t", at(5), "cart"), ("t", at(5), "pv"), ("t", at(5), "buy"), ("t", at(5), "pv")]  # equal timestamps


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("by", [None, "channel"])
@pytest.mark.parametrize("window", [3600, 86400, 86400 * 2])
def test_funnel(both, mode, by, window):
    duck, spark = both(lambda t: funnel(t, steps=STEPS, window_seconds=window, mode=mode, date_from=DAY,
                                        date_to=END, by=by), events(FUNNEL_ROWS + TIES))
    assert duck == spark and duck


@pytest.mark.parametrize("mode", MODES)
def test_person_levels_with_four_steps(both, mode):
    duck, spark = both(lambda t: person_levels(t, steps=["pv", "fav", "cart", "buy"], window_seconds=86400,
                                               mode=mode, date_from=DAY, date_to=END), events(FUNNEL_ROWS + TIES))
    assert duck == spark and duck


@pytest.mark.parametrize("start", [None, "pv", "cart"])
def test_paths(both, start):
    data = events(PATH_ROWS + TIES)
    for build in (top_paths, path_edges, session_steps):
        duck, spark = both(lambda t, build=build: build(t, date_from=DAY, date_to=DAY, start=start), data)
        assert duck == spark and duck


@pytest.mark.parametrize("period", ["day", "week"])
@pytest.mark.parametrize(("cohort", "active"), [("first_event", "any"), ("first_buy", "any"), ("first_buy", "buy")])
def test_retention(both, period, cohort, active):
    duck, spark = both(lambda t: retention(t, date_from=DAY.replace(day=2), date_to=DAY.replace(day=17),
                                           cohort=cohort, period=period, active=active), events(RETENTION_ROWS))
    assert duck == spark and duck


def test_empty_log(both):
    for build in (lambda t: funnel(t, steps=STEPS, window_seconds=60, mode="any", date_from=DAY, date_to=END),
                  lambda t: top_paths(t, date_from=DAY, date_to=END),
                  lambda t: retention(t, date_from=DAY, date_to=END, period="week")):
        duck, spark = both(build, {})
        assert duck == spark == []
