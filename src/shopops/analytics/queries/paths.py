"""Paths through the behaviour log: sessions, their first steps, and the step-to-step edges of a Sankey.

Definitions (docs/rules/analytics.md#paths, docs/rules/analytics.md#sessions):

* **Session**: the log's ``session_id`` when it has one (per person); otherwise a person's events split after
  30 idle minutes (Shopify and GA4 expire a session after 30 minutes of inactivity, PostHog paths cut at 30
  minutes). A gap of **exactly** ``idle_seconds`` starts a new session: the session had already timed out.
* **Steps**: the session's events in time order (``ts``, then behaviour name, so equal instants order
  deterministically), named by ``behavior``; consecutive repeats are collapsed (``pv pv cart`` → ``pv cart``).
  When the log has page information (a ``page_type`` or ``page`` column, :func:`page_column`) the steps are
  the **pages** instead: the events that name a page, named by it (docs/rules/analytics.md#paths).
* ``start``: the path begins at the session's first ``start`` event; sessions without one are left out.
* **Path** = the first ``max_steps`` steps (PostHog's default step limit is 5); **edges** = step ``i`` → step
  ``i+1`` among those, counted in sessions; nodes are (step number, behaviour) so loops (pv → cart → pv) stay
  drawable as a Sankey.
* Date range: events whose ``date`` lies in ``[date_from, date_to]``.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from shopops.analytics.engine import Tables

IDLE_SECONDS = 30 * 60
MAX_STEPS = 5
PAGE_COLUMNS = ("page_type", "page")  # the first one the log has names the path's steps


def page_column(tables: Tables) -> str | None:
    """The behaviour log's page column, None when it has none (the steps are then event types)."""
    columns = tables["events"].columns
    return next((c for c in PAGE_COLUMNS if c in columns), None)


def page_events(tables: Tables, column: str, *, date_from: dt.date, date_to: dt.date) -> ir.Scalar:
    """How many events of the period name a page in ``column`` (0: page paths would be empty)."""
    events = tables["events"]
    e = events.filter(events.date >= date_from, events.date <= date_to, events[column].fill_null("") != "")
    return e.count()


def session_steps(tables: Tables, *, date_from: dt.date, date_to: dt.date, start: str | None = None,
                  idle_seconds: int = IDLE_SECONDS, pages: bool = False) -> ir.Table:
    """One row per collapsed step: ``user_id``, ``session`` (text key), ``step`` (1-based), ``behavior``, ``ts``.

    ``pages``: steps are the log's pages (``behavior`` then holds the page), events without a page left out.
    """
    events = tables["events"]
    e = events.filter(events.date >= date_from, events.date <= date_to)
    column = page_column(tables) if pages else None
    if column is not None:
        e = e.filter(e[column].fill_null("") != "")
        e = e.select("user_id", "session_id", "ts", behavior=e[column])
    else:
        e = e.select("user_id", "session_id", "ts", "behavior")
    # Pass 1: the previous event of the person (in the same logged session, or in the unlogged log).
    by_user = ibis.window(group_by=[e.user_id, e.session_id], order_by=[e.ts, e.behavior])
    e = e.mutate(prev_ts=e.ts.lag().over(by_user), prev=e.behavior.lag().over(by_user))
    gap = e.prev_ts.isnull() | (e.ts >= e.prev_ts + ibis.interval(seconds=int(idle_seconds)))
    new = ibis.cases(((e.session_id == "") & gap, 1), (e.prev_ts.isnull(), 1), else_=0)
    e = e.mutate(new=new)
    # a repeat of the previous event in the same session is collapsed
    e = e.filter((e.new == 1) | (e.prev != e.behavior))
    # Pass 2: session number (unlogged logs) and the row's index among the person's kept events.
    running = ibis.window(group_by=[e.user_id, e.session_id], order_by=[e.ts, e.behavior], rows=(None, 0))
    e = e.mutate(seq=e.new.sum().over(running), idx=ibis.row_number().over(running))
    # A logged session keeps its id; an unlogged one is "~<n>" (its number among the person's sessions).
    session = ibis.cases((e.session_id == "", ibis.literal("~") + e.seq.cast("string")), else_=e.session_id)
    e = e.select(user_id=e.user_id, session=session, ts=e.ts, behavior=e.behavior, idx=e.idx)
    # Pass 3: where the path begins in its session (the first event, or the first ``start`` event).
    whole = ibis.window(group_by=[e.user_id, e.session])
    first = e.idx if not start else ibis.cases((e.behavior == start, e.idx), else_=ibis.null("int64"))
    e = e.mutate(begin=first.min().over(whole))
    e = e.filter(e.begin.notnull(), e.idx >= e.begin)
    return e.select("user_id", "session", "ts", "behavior", step=(e.idx - e.begin + 1).cast("int64"))


def top_paths(tables: Tables, *, date_from: dt.date, date_to: dt.date, start: str | None = None,
              max_steps: int = MAX_STEPS, idle_seconds: int = IDLE_SECONDS, pages: bool = False) -> ir.Table:
    """Sessions per path: columns ``step_1`` … ``step_<max_steps>`` (null past the path's end), ``sessions``."""
    s = session_steps(tables, date_from=date_from, date_to=date_to, start=start, idle_seconds=idle_seconds,
                      pages=pages)
    s = s.filter(s.step <= max_steps)
    pivot = {f"step_{i}": ibis.cases((s.step == i, s.behavior), else_=ibis.null("string")).max()
             for i in range(1, max_steps + 1)}
    per_session = s.group_by([s.user_id, s.session]).aggregate(**pivot)
    columns = [f"step_{i}" for i in range(1, max_steps + 1)]
    return per_session.group_by(columns).aggregate(sessions=per_session.count())


def path_edges(tables: Tables, *, date_from: dt.date, date_to: dt.date, start: str | None = None,
               max_steps: int = MAX_STEPS, idle_seconds: int = IDLE_SECONDS) -> ir.Table:
    """Edges of the Sankey: ``step`` (of the source), ``source``, ``target`` (behaviours), ``sessions``."""
    s = session_steps(tables, date_from=date_from, date_to=date_to, start=start, idle_seconds=idle_seconds)
    s = s.filter(s.step <= max_steps)
    following = ibis.window(group_by=[s.user_id, s.session], order_by=[s.step])
    s = s.mutate(target=s.behavior.lead().over(following))
    s = s.filter(s.target.notnull())
    return s.group_by([s.step, s.behavior.name("source"), s.target]).aggregate(sessions=s.count())
