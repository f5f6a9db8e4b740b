"""The engine itself: the same Ibis expression over the same rows gives the same answer on both engines."""

from __future__ import annotations

import datetime as dt


def test_distinct_visitors_per_day_agree(both):
    data = {"events": {"user_id": ["a", "b", "a", "a"], "behavior": ["pv", "pv", "buy", "pv"],
                       "date": [dt.date(2026, 1, 1)] * 3 + [dt.date(2026, 1, 2)],
                       "ts": [dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC)] * 3 + [dt.datetime(2026, 1, 2, tzinfo=dt.UTC)]}}

    def build(tables):
        events = tables["events"]
        return events.group_by("date").agg(uv=events.user_id.nunique(), pv=(events.behavior == "pv").sum())

    duck, spark = both(build, data)
    assert duck == spark
    assert [dict(r) for r in duck] == [{"date": dt.date(2026, 1, 1), "pv": 2, "uv": 2},
                                       {"date": dt.date(2026, 1, 2), "pv": 1, "uv": 1}]
