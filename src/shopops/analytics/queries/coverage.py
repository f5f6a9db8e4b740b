"""Which channels the behaviour pages cover, and what the platform reports say about the others.

Funnels, paths and retention read the behaviour log (``events``); most channels have no log, only the
platform's daily traffic report (``traffic_daily``). The pages state the log's channels and their share of the
shop's visitors (docs/rules/analytics.md#behaviour-coverage) — the same visitor basis as the metric layer:
a channel with events counts its distinct page-viewing users, a channel without events its reported
store-level 访客数 summed over days and sources (not de-duplicated, so the share is approximate).
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from shopops.analytics.engine import Tables


def log_visitors_by_channel(tables: Tables, *, date_from: dt.date, date_to: dt.date) -> ir.Table:
    """Per channel of the behaviour log: ``people`` (users with any event), ``visitors`` (users with a pv).

    From the ``user_day`` rollup when it may be read (a user × day × feed row per user with any event there).
    """
    name = "user_day" if tables.rollups else "events"
    ev = tables[name]
    ev = ev.filter(ev.date.between(date_from, date_to))
    viewed = ev.pv > 0 if name == "user_day" else ev.behavior == "pv"
    return ev.group_by("channel").aggregate(
        people=ev.user_id.nunique().cast("int64"),
        visitors=ibis.cases((viewed, ev.user_id), else_=ibis.null("string")).nunique().cast("int64"))


def report_funnel_by_channel(tables: Tables, *, date_from: dt.date, date_to: dt.date) -> ir.Table:
    """Per channel of the platform reports (store level): ``visitors``, ``cart_users``, ``buyers`` summed over
    days, terminals and sources (distinct counts added: not de-duplicated), and ``cart_rows``/``buyer_rows``,
    how many rows report them (0: the report has no such step)."""
    td = tables["traffic_daily"]
    td = td.filter(td.date.between(date_from, date_to), td.level == "store")
    return td.group_by("channel").aggregate(
        visitors=td.visitors.sum().cast("int64"), cart_users=td.cart_users.sum().cast("int64"),
        buyers=td.buyers.sum().cast("int64"), cart_rows=td.cart_users.count().cast("int64"),
        buyer_rows=td.buyers.count().cast("int64"))
