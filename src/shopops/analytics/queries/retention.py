"""Retention cohorts over the behaviour log, written once in Ibis for DuckDB and Spark.

Definitions (docs/rules/analytics.md#retention, PostHog retention: "first-time" cohorts, period-0 reference,
"on" criteria; one cohort per person, many periods):

* **Cohort**: a person's first ``cohort`` event — ``first_event`` (any behaviour, the default) or
  ``first_buy`` (``behavior = 'buy'``). "First" looks at the whole log up to ``date_to``, so somebody active
  before ``date_from`` is not a new cohort member; only cohorts whose first date lies in
  ``[date_from, date_to]`` are reported. Dates are the shop-local ``date`` column.
* **Period**: ``day`` or ``week`` (weeks start on Monday, ISO); the cohort is the period of the first event,
  period ``n`` is ``n`` periods later.
* **Active in period n**: the person has at least one ``active`` event (``any`` behaviour, or ``buy``) dated in
  period ``n`` and not after ``date_to`` ("on", not "on or after"). Period 0 counts the cohort's own activity,
  so with ``first_event``/``any`` it equals the cohort size.
* Output: ``cohort`` (first date of the cohort period), ``period``, ``users`` active, ``cohort_users``; periods
  with nobody active are absent (the selector fills the triangle with zeros).
"""

from __future__ import annotations

import datetime as dt

import ibis.expr.types as ir

from shopops.analytics.engine import Tables

COHORTS = ("first_event", "first_buy")
PERIODS = ("day", "week")
ACTIVE = ("any", "buy")


def _user_days(tables: Tables, date_to: dt.date) -> ir.Table:
    """The log reduced to its distinct (user, day) rows up to ``date_to``, ``buy`` when the day has a buy: from
    the ``user_day`` rollup (its rows are per user, day and feed) when it may be read, else from the events."""
    if tables.rollups:
        days = tables["user_day"]
        days = days.filter(days.date <= date_to)
        return days.group_by(["user_id", "date"]).aggregate(buy=(days.buy > 0).any())
    events = tables["events"]
    events = events.filter(events.date <= date_to)
    return events.group_by(["user_id", "date"]).aggregate(buy=(events.behavior == "buy").any())


def _period_start(date: ir.DateValue, period: str) -> ir.DateValue:
    return date if period == "day" else date.truncate("W")


def retention(tables: Tables, *, date_from: dt.date, date_to: dt.date, cohort: str = "first_event",
              period: str = "day", active: str = "any") -> ir.Table:
    """Cohort × period: ``cohort`` (date), ``period`` (int, 0..), ``users``, ``cohort_users``."""
    if cohort not in COHORTS or period not in PERIODS or active not in ACTIVE:
        raise ValueError("cohort, period or active out of range")
    # one scan: the cohorts and the activity are both read from the distinct (user, day) rows
    user_days = _user_days(tables, date_to)
    starts = user_days.filter(user_days.buy) if cohort == "first_buy" else user_days
    first = starts.group_by("user_id").aggregate(first_date=starts.date.min())
    first = first.filter(first.first_date >= date_from)
    first = first.select(first.user_id, cohort=_period_start(first.first_date, period))
    sizes = first.group_by("cohort").aggregate(cohort_users=first.count())  # one row per user

    acts = user_days.filter(user_days.date >= date_from)
    if active == "buy":
        acts = acts.filter(acts.buy)
    acts = acts.select(acts.user_id, when=_period_start(acts.date, period))
    if period != "day":  # (user, day) rows are distinct already; (user, week) ones are not
        acts = acts.distinct()
    joined = acts.join(first, acts.user_id == first.user_id)
    days = joined.when.epoch_days() - joined.cohort.epoch_days()
    number = days if period == "day" else days // 7
    joined = joined.select(cohort=joined.cohort, period=number.cast("int64"), user_id=joined.user_id)
    joined = joined.filter(joined.period >= 0)
    counts = joined.group_by(["cohort", "period"]).aggregate(users=joined.count())  # (user, period) is unique
    out = counts.join(sizes, counts.cohort == sizes.cohort)
    return out.select(cohort=counts.cohort, period=counts.period, users=counts.users.cast("int64"),
                      cohort_users=sizes.cohort_users.cast("int64")).order_by(["cohort", "period"])
