"""Funnels over the behaviour log (lake table ``events``), written once in Ibis for DuckDB and Spark.

``funnel(tables, steps=["pv", "cart", "buy"], window_seconds=86400, mode="sequential", ...)`` answers, per
step, how many people reached at least that step. Definitions (docs/rules/analytics.md#funnels, PostHog
funnels and ClickHouse ``windowFunnel``):

* **Events considered**: the shop's events whose ``date`` (shop-local business date) lies in
  ``[date_from, date_to]`` and whose ``behavior`` is one of the steps. Steps must be distinct behaviours.
  A person is ``user_id``. Events are ordered by ``ts`` (UTC), then by step order, so a step-2 event at the
  same instant as a step-1 event counts as after it (PostHog processes equal timestamps in step order).
* **Attempt and window**: every step-1 event starts an attempt; the window of an attempt runs from that
  step-1 event to ``ts + window_seconds`` inclusive (PostHog: ``timestamp - step0 <= window``). A person is
  counted at the **furthest step reached in any attempt** (PostHog: "furthest step reached over all
  attempts"; ClickHouse ``windowFunnel`` returns the max level likewise), so somebody who repeats a step or
  buys twice is counted once.
* ``sequential``: the steps in order, any other events allowed between them.
* ``strict``: the steps in order, and each step must be the **very next funnel event** of that person after
  the previous step (events of behaviours outside the funnel, e.g. ``fav`` in a pv→cart→buy funnel, are
  ignored). ``pv cart pv buy`` therefore reaches step 2 only; ``pv pv cart buy`` reaches step 3 (the second
  ``pv`` starts a new attempt). This follows ClickHouse ``windowFunnel(...)(…, 'strict_order')`` — "don't allow
  interventions of other events" — applied to the funnel's own events, with one deliberate difference:
  ClickHouse lets a repeated earlier step slip through (its ``pv cart pv buy`` reaches 3), we do not, so
  "strict" means exactly "no other funnel event between consecutive steps".
* ``any``: the steps in any order; a person's level is the largest number of *distinct* steps done within one
  window that starts at any of their funnel events. Step ``k`` of an ``any`` funnel is "did at least ``k`` of
  the steps" (as in PostHog's any-order funnels).
* ``by``: a column (``channel`` or ``source``); the funnel is computed separately within each value's events,
  so a person active in two channels is counted in each — like 生意参谋's by-channel visitors, the rows are
  not additive.

**From the rollup** (docs/architecture.md#rollups): the funnel of the shop's default question — pv→cart→buy,
sequential, a window of one day, no ``by`` — is answered from ``funnel_day`` when the lake's rollups are
ready, every date of the range lasts 24 hours in the shop's time zone (so a window spans at most two dates)
and no user has events of two feeds on one date (a day's level is computed within a feed). A person's level
is then the best of each day's own level and of each pair of consecutive days: a chain started on day d
continues on d+1 from d's last pv (the latest start is the best for the window) or d's latest pv→cart start,
to d+1's first cart, first buy, or first buy at or after its first cart. Equal to the raw path by property
test (tests/analytics/test_funnel_rollup.py).

Everything is set-based: one or a few window passes over the events (explicit ``ROWS`` frames), no per-user
Python. Sequential mode uses one running max per step: for a step-``k`` event, ``start_k`` = the latest
attempt start from which steps 1..k can be done in order ending at this event (``start_k`` = max of
``start_{k-1}`` over the earlier step-``k-1`` events). The latest start is the best one for the window, so
step ``k`` is reached iff some step-``k`` event has ``ts <= start_k + window``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from shopops.analytics.engine import Tables
from shopops.lake.selectors import FUNNEL_STEPS, FUNNEL_WINDOW_SECONDS

MODES = ("sequential", "strict", "any")
BY_COLUMNS = ("channel", "source")
MAX_STEPS = 10


def funnel_events(tables: Tables, *, steps: Sequence[str], date_from: dt.date, date_to: dt.date,
                  by: str | None = None) -> ir.Table:
    """The funnel's events: ``user_id``, ``grp`` (the ``by`` value, "" without one), ``ts``, ``k`` (0-based step)."""
    events = tables["events"]
    events = events.filter(events.date >= date_from, events.date <= date_to, events.behavior.isin(list(steps)))
    k = ibis.cases(*[(events.behavior == name, i) for i, name in enumerate(steps)], else_=-1)
    group = events[by] if by else ibis.literal("")
    return events.select(user_id=events.user_id, grp=group.cast("string"), ts=events.ts, k=k.cast("int64"))


def person_levels(tables: Tables, *, steps: Sequence[str], window_seconds: int, mode: str,
                  date_from: dt.date, date_to: dt.date, by: str | None = None,
                  days_last_24_hours: bool = False) -> ir.Table:
    """One row per person (and ``by`` value): ``user_id``, ``grp``, ``level`` = furthest step reached (1..n).

    ``days_last_24_hours``: the caller knows every date of the range lasts 24 hours in the shop's time zone
    (``core.clock.days_last_24_hours``); only then may the rollup answer."""
    _check(steps, window_seconds, mode, by)
    if days_last_24_hours and _rollup_answers(tables, steps=steps, window_seconds=window_seconds, mode=mode, by=by,
                                               date_from=date_from, date_to=date_to):
        return _rollup_levels(tables, date_from=date_from, date_to=date_to)
    e = funnel_events(tables, steps=steps, date_from=date_from, date_to=date_to, by=by)
    # without ``by`` the group is the constant "": leave it out of every partition and add it at the end
    person = ["user_id", "grp"] if by else ["user_id"]
    e = e.select(*person, "ts", "k")
    window = ibis.interval(seconds=int(window_seconds))
    keys = [e[c] for c in person]
    if mode == "sequential":
        rows = _sequential(e, len(steps), window, person)
    elif mode == "strict":
        # One pass: a step-k row completes a strict chain iff the k rows before it (among the person's funnel
        # events) are steps k-1, …, 0 and the chain's step-1 row is within the window.
        ordered = ibis.window(group_by=keys, order_by=[e.ts, e.k])
        lags = {}
        for j in range(1, len(steps)):
            lags[f"k_{j}"] = e.k.lag(j).over(ordered)
            lags[f"ts_{j}"] = e.ts.lag(j).over(ordered)
        e = e.mutate(**lags)
        cases = [(e.k == 0, 1)]
        for k in range(1, len(steps)):
            chain = e.k == k
            for j in range(1, k + 1):
                chain &= e[f"k_{j}"] == k - j
            cases.append((chain & (e.ts <= e[f"ts_{k}"] + window), k + 1))
        # a step-k row whose chain fails can still show an earlier step reached: its predecessors carry it
        rows = e.select(*person, level=ibis.cases(*cases, else_=0))
    else:  # any
        # "this row and the following ones", written as a cumulative frame over the reversed order
        following = ibis.window(group_by=keys, order_by=[e.ts.desc(), e.k.desc()], rows=(None, 0))
        nexts = {f"next_{i}": ibis.cases((e.k == i, e.ts), else_=ibis.null("timestamp")).min().over(following)
                 for i in range(len(steps))}
        e = e.mutate(**nexts)
        done = sum((ibis.cases((e[f"next_{i}"].notnull() & (e[f"next_{i}"] <= e.ts + window), 1), else_=0)
                    for i in range(len(steps))), ibis.literal(0))
        rows = e.select(*person, level=done)
    levels = rows.group_by(person).aggregate(level=rows.level.max())
    levels = levels.select("user_id", grp=levels.grp if by else ibis.literal("", "string"),
                           level=levels.level.cast("int64"))
    return levels.filter(levels.level > 0)  # people with funnel events who never did step 1 are not in it


def _rollup_answers(tables: Tables, *, steps: Sequence[str], window_seconds: int, mode: str, by: str | None,
                    date_from: dt.date, date_to: dt.date) -> bool:
    """The rollup holds this funnel: the default question, rollups ready, one feed per user and date."""
    if not (tables.rollups and tuple(steps) == FUNNEL_STEPS and window_seconds == FUNNEL_WINDOW_SECONDS
            and mode == "sequential" and by is None):
        return False
    days = _funnel_days(tables, date_from, date_to)
    if len(tables.engine.rows(days.select("feed").distinct().limit(2))) < 2:
        return True
    per_date = days.group_by(["user_id", "date"]).aggregate(feeds=days.feed.nunique())
    return not tables.engine.rows(per_date.filter(per_date.feeds > 1).select("user_id").limit(1))


def _funnel_days(tables: Tables, date_from: dt.date, date_to: dt.date) -> ir.Table:
    days = tables["funnel_day"]
    return days.filter(days.date >= date_from, days.date <= date_to)


def _rollup_levels(tables: Tables, *, date_from: dt.date, date_to: dt.date) -> ir.Table:
    """``person_levels`` of the default funnel from ``funnel_day``: each day's level, and the level a chain
    started on one day reaches on the next."""
    days = _funnel_days(tables, date_from, date_to)
    window = ibis.interval(seconds=FUNNEL_WINDOW_SECONDS)
    today = days.select("user_id", "date", "level", "last_pv_ts", "start2_ts")
    tomorrow = days.select(next_user=days.user_id, next_date=days.date, first_cart=days.first_cart_ts,
                           first_buy=days.first_buy_ts, first_buy_after_cart=days.first_buy_after_cart_ts)
    pairs = today.join(tomorrow, [today.user_id == tomorrow.next_user,
                                  tomorrow.next_date == today.date + ibis.interval(days=1)])
    reaches_buy = ((pairs.first_buy <= pairs.start2_ts + window)
                   | (pairs.first_buy_after_cart <= pairs.last_pv_ts + window))
    reaches_cart = pairs.first_cart <= pairs.last_pv_ts + window
    stitched = pairs.select("user_id", level=ibis.cases((reaches_buy.fill_null(False), 3),
                                                        (reaches_cart.fill_null(False), 2), else_=0))
    both = ibis.union(today.select("user_id", level=today.level.cast("int64")),
                      stitched.select("user_id", level=stitched.level.cast("int64")))
    levels = both.group_by("user_id").aggregate(level=both.level.max())
    levels = levels.select("user_id", grp=ibis.literal("", "string"), level=levels.level.cast("int64"))
    return levels.filter(levels.level > 0)


def _sequential(e: ir.Table, n: int, window: ir.IntervalScalar, person: Sequence[str]) -> ir.Table:
    """Per funnel event: the step it completes (``k + 1``) when some in-order chain reaches it in the window.

    ``start_k`` = the latest attempt start from which steps 1..k can be done in order ending at this event:
    the running max of ``start_{k-1}`` over the person's earlier step-``k-1`` events (a step-0 event is its
    own start). The latest start is the best for the window. After the first pass only events of step ≥ 1
    are carried on (step-1 events just give level 1), so later passes run over the few cart/buy rows.
    """
    level_one = e.filter(e.k == 0).select(*person, level=ibis.literal(1))
    carried = e
    parts = [level_one]
    for i in range(1, n):
        # running max up to the current row: the current (step-i) row adds null, so this equals "earlier rows",
        # and a frame ending at the current row is a cheap cumulative aggregate on both engines
        prior = ibis.window(group_by=[carried[c] for c in person], order_by=[carried.ts, carried.k], rows=(None, 0))
        previous = carried.ts if i == 1 else carried[f"start_{i - 1}"]
        latest = ibis.cases((carried.k == i - 1, previous), else_=ibis.null("timestamp")).max().over(prior)
        carried = carried.mutate(**{f"start_{i}": ibis.cases((carried.k == i, latest), else_=ibis.null("timestamp"))})
        reached = carried.filter(carried.k == i, carried[f"start_{i}"].notnull(),
                                 carried.ts <= carried[f"start_{i}"] + window)
        parts.append(reached.select(*person, level=ibis.literal(i + 1)))
        # the next pass needs the step-i events that have a start and the later steps' events
        carried = carried.filter((carried.k > i) | ((carried.k == i) & carried[f"start_{i}"].notnull()))
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


def funnel(tables: Tables, *, steps: Sequence[str], window_seconds: int, mode: str = "sequential",
           date_from: dt.date, date_to: dt.date, by: str | None = None, days_last_24_hours: bool = False) -> ir.Table:
    """Per step (and ``by`` value): ``step`` (1-based), ``behavior``, ``people`` who reached at least that step.

    Columns: [``by`` value as ``grp``,] ``step``, ``behavior``, ``people``; one row for every step of every
    group that has at least one person in the funnel (``people`` may be 0 for later steps).
    """
    levels = person_levels(tables, steps=steps, window_seconds=window_seconds, mode=mode,
                           date_from=date_from, date_to=date_to, by=by, days_last_24_hours=days_last_24_hours)
    counts = levels.group_by(["grp", "level"]).aggregate(n=levels.count())
    step_table = ibis.memtable({"step": list(range(1, len(steps) + 1)), "behavior": list(steps)})
    # people at step s = Σ persons whose furthest level ≥ s; every group that has anyone gets every step
    joined = counts.join(step_table, counts.level >= step_table.step)
    reached = joined.group_by(["grp", "step"]).aggregate(people=joined.n.sum())
    grid = counts.select("grp").distinct().cross_join(step_table)
    out = grid.left_join(reached, [grid.grp == reached.grp, grid.step == reached.step])
    out = out.select(grp=grid.grp, step=grid.step, behavior=grid.behavior,
                     people=out.people.fill_null(0).cast("int64"))
    if not by:
        out = out.drop("grp")
    return out.order_by([c for c in ("grp", "step") if c in out.columns])


def _check(steps: Sequence[str], window_seconds: int, mode: str, by: str | None) -> None:
    """Programming errors only: the selectors validate user input with field names before calling."""
    if not 1 <= len(steps) <= MAX_STEPS or len(set(steps)) != len(steps):
        raise ValueError("steps must be 1..10 distinct behaviours")
    if window_seconds <= 0:
        raise ValueError("window_seconds must be positive")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if by is not None and by not in BY_COLUMNS:
        raise ValueError(f"by must be one of {BY_COLUMNS}")
