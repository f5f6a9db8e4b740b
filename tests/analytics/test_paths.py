"""Paths on a hand-checked log: sessions = the log's session id, else split after 30 idle minutes (a gap of
exactly 30 minutes starts a new session), repeats collapsed, first 5 steps, edges (PostHog paths,
docs/rules/analytics.md#paths; Shopify/GA4 30-minute sessions, docs/rules/analytics.md#sessions)."""

from __future__ import annotations

import pytest

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.queries.paths import session_steps
from shopops.analytics.selectors.behaviour import paths_report
from shopops.core.errors import InvalidInput
from tests.analytics.behaviour_data import PATH_ROWS, events


def tables(rows=PATH_ROWS):
    return MemoryTables(get_engine("duckdb"), events(rows))


def report(**kw):
    return paths_report(shop=None, date_from="2026-11-01", date_to="2026-11-01", tables=tables(), **kw)


def test_sessions_split_at_exactly_30_idle_minutes_and_keep_logged_ids():
    t = tables()
    rows = t.engine.rows(session_steps(t, date_from=PATH_ROWS[0][1].date(), date_to=PATH_ROWS[0][1].date()))
    sessions = {}
    for r in sorted(rows, key=lambda r: (r["user_id"], r["session"], r["step"])):
        sessions.setdefault((r["user_id"], r["session"]), []).append(r["behavior"])
    assert sessions == {
        ("u1", "~1"): ["pv", "cart"], ("u1", "~2"): ["buy", "pv"],
        ("u2", "s1"): ["pv", "cart", "buy"], ("u2", "s2"): ["pv", "cart", "buy"],
        ("u3", "~1"): ["pv", "fav", "pv", "cart", "buy", "pv"],
    }


def test_top_paths_and_edges():
    data = report()
    assert data["sessions"] == 5
    assert data["paths"] == [
        {"steps": ["pv", "cart", "buy"], "sessions": 2, "share": 0.4},
        {"steps": ["buy", "pv"], "sessions": 1, "share": 0.2},
        {"steps": ["pv", "cart"], "sessions": 1, "share": 0.2},
        {"steps": ["pv", "fav", "pv", "cart", "buy"], "sessions": 1, "share": 0.2},  # first 5 of 6 steps
    ]
    edges = {(e["step"], e["source"], e["target"]): e["sessions"] for e in data["edges"]}
    assert edges == {(1, "pv", "cart"): 3, (2, "cart", "buy"): 2, (1, "buy", "pv"): 1, (1, "pv", "fav"): 1,
                     (2, "fav", "pv"): 1, (3, "pv", "cart"): 1, (4, "cart", "buy"): 1}


def test_start_event_cuts_what_comes_before_and_drops_sessions_without_it():
    data = report(start="cart")
    assert [(p["steps"], p["sessions"]) for p in data["paths"]] == [
        (["cart", "buy"], 2), (["cart"], 1), (["cart", "buy", "pv"], 1)]


def test_empty_log():
    data = paths_report(shop=None, date_from="2026-11-01", date_to="2026-11-01", tables=tables([]))
    assert data["sessions"] == 0 and data["paths"] == [] and data["edges"] == []


@pytest.mark.parametrize(("kwargs", "field"), [({"start": "a b"}, "start"), ({"limit": "0"}, "limit"),
                                               ({"limit": "x"}, "limit")])
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as caught:
        report(**kwargs)
    assert [e.field for e in caught.value.errors] == [field]


def test_report_edges_equal_the_edge_builder():
    from shopops.analytics.queries.paths import path_edges

    t = tables()
    day = PATH_ROWS[0][1].date()
    built = {(r["step"], r["source"], r["target"]): r["sessions"]
             for r in t.engine.rows(path_edges(t, date_from=day, date_to=day))}
    assert built == {(e["step"], e["source"], e["target"]): e["sessions"] for e in report()["edges"]}
