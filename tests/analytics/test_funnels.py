"""Funnels on hand-checked logs (the traps: a person who skips a step, out-of-window steps, strict mode
breaks, a buyer who buys twice counted once). Definitions: docs/rules/analytics.md#funnels (PostHog funnels,
ClickHouse windowFunnel) and the docstring of analytics/queries/funnels.py."""

from __future__ import annotations

import pytest

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.queries.funnels import funnel, person_levels
from shopops.analytics.selectors.behaviour import funnel_report, parse_window
from shopops.core.errors import ErrorCollector, InvalidInput
from tests.analytics.behaviour_data import DAY, EXPECTED, FUNNEL_ROWS, at, events

STEPS = ["pv", "cart", "buy"]


def tables(rows=FUNNEL_ROWS):
    return MemoryTables(get_engine("duckdb"), events(rows))


def run(mode, rows=FUNNEL_ROWS, window=86400, **kw):
    t = tables(rows)
    expr = funnel(t, steps=STEPS, window_seconds=window, mode=mode, date_from=DAY,
                  date_to=DAY.replace(day=2), **kw)
    return t.engine.rows(expr)


@pytest.mark.parametrize("mode", ["sequential", "strict", "any"])
def test_people_per_step_each_mode(mode):
    assert [r["people"] for r in run(mode)] == EXPECTED[mode]
    assert [r["behavior"] for r in run(mode)] == STEPS


def levels(mode, rows, window=86400):
    t = tables(rows)
    expr = person_levels(t, steps=STEPS, window_seconds=window, mode=mode, date_from=DAY, date_to=DAY.replace(day=2))
    return {r["user_id"]: r["level"] for r in t.engine.rows(expr)}


def test_each_person_at_the_furthest_step():
    assert levels("sequential", FUNNEL_ROWS) == {"a": 3, "b": 1, "c": 3, "d": 1, "e": 1, "f": 3, "g": 3, "h": 3}
    assert levels("strict", FUNNEL_ROWS) == {"a": 3, "b": 1, "c": 2, "d": 1, "e": 1, "f": 3, "g": 3, "h": 3}
    assert levels("any", FUNNEL_ROWS) == {"a": 3, "b": 2, "c": 3, "d": 3, "e": 2, "f": 3, "g": 3, "h": 3, "i": 1}


def test_window_end_is_inclusive_and_measured_from_step_one():
    """PostHog: ``timestamp - step0 <= window`` (funnel-udf steps.rs)."""
    rows = [("x", at(1), "pv"), ("x", at(1, day=1), "cart"), ("x", at(1, 0, 1, day=1), "buy")]
    assert levels("sequential", rows) == {"x": 2}  # cart exactly 1 day later is in; buy one second later is out
    assert levels("strict", rows) == {"x": 2}
    assert levels("sequential", rows, window=86401) == {"x": 3}


def test_strict_mode_breaks_on_a_repeated_earlier_step_but_a_new_attempt_can_finish():
    rows = [("y", at(1), "pv"), ("y", at(2), "cart"), ("y", at(3), "cart"), ("y", at(4), "buy"),
            ("z", at(1), "pv"), ("z", at(2), "pv"), ("z", at(3), "cart"), ("z", at(4), "buy")]
    assert levels("strict", rows) == {"y": 2, "z": 3}
    assert levels("sequential", rows) == {"y": 3, "z": 3}


def test_dates_outside_the_range_are_not_seen():
    t = tables()
    expr = funnel(t, steps=STEPS, window_seconds=86400 * 3, mode="sequential", date_from=DAY, date_to=DAY)
    # e's and g's day-2 events are outside (even with a 3-day window): both stay at step 1; a c f h finish
    assert [r["people"] for r in t.engine.rows(expr)] == [8, 4, 4]


def test_by_channel_computes_the_funnel_within_each_channel():
    rows = run("sequential", by="channel")
    by = {(r["grp"], r["step"]): r["people"] for r in rows}
    assert by[("app", 1)] == 1 and by[("app", 3)] == 1
    assert [by[("web", s)] for s in (1, 2, 3)] == [7, 4, 4]


def test_report_rates_and_groups():
    report = funnel_report(shop=None, steps="pv,cart,buy", date_from="2026-11-01", date_to="2026-11-02",
                           window="1d", mode="sequential", by="channel", tables=tables())
    assert [(r["people"], r["conversion_from_previous"], r["conversion_from_first"]) for r in report["rows"]] == [
        (8, 1.0, 1.0), (5, 0.625, 0.625), (5, 1.0, 0.625)]
    assert [g["value"] for g in report["groups"]] == ["web", "app"]
    assert report["window_seconds"] == 86400


def test_empty_log_gives_zero_people_and_no_rates():
    report = funnel_report(shop=None, steps="pv,cart,buy", date_from="2026-11-01", date_to="2026-11-02",
                           tables=tables([]))
    assert [(r["people"], r["conversion_from_previous"], r["conversion_from_first"]) for r in report["rows"]] == [
        (0, None, None)] * 3


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400),
                                               (" 7d ", 604800)])
def test_window_units(text, seconds):
    assert parse_window(text, ErrorCollector()) == seconds


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"steps": "pv"}, "steps"), ({"steps": "pv,pv"}, "steps"), ({"steps": "pv,'; drop"}, "steps"),
    ({"window": "1w"}, "window"), ({"window": "0d"}, "window"), ({"window": "91d"}, "window"),
    ({"mode": "loose"}, "mode"), ({"by": "item_id"}, "by"),
    ({"date_from": "2026-13-01"}, "from"), ({"date_to": "2026-10-01"}, "to"), ({"date_to": "2028-01-01"}, "to"),
])
def test_bad_input_names_the_field(kwargs, field):
    params = {"steps": "pv,cart", "date_from": "2026-11-01", "date_to": "2026-11-02", **kwargs}
    with pytest.raises(InvalidInput) as caught:
        funnel_report(shop=None, tables=tables(), **params)
    assert [e.field for e in caught.value.errors] == [field]
