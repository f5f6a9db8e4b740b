"""Reads for funnels, paths and retention: validate the user's input (field errors), run the Ibis builders of
``analytics.queries`` for one shop on the configured engine, and shape the JSON every face answers.

Rates are numbers in 0..1 (docs/architecture.md#data), ``None`` where the denominator is zero.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from shopops.analytics.cache import remember
from shopops.analytics.engine import LakeTables, Tables, get_engine
from shopops.analytics.models import SavedFunnel
from shopops.analytics.queries import funnels as funnel_queries
from shopops.analytics.queries import paths as path_queries
from shopops.analytics.queries import retention as retention_queries
from shopops.analytics.selectors.coverage import behaviour_coverage
from shopops.analytics.selectors.metrics import parse_period
from shopops.core.clock import DEFAULT_TZ, days_last_24_hours
from shopops.core.errors import ErrorCollector

MAX_DAYS = 400  # a longer range is a mistake more often than a wish; the benchmark calls the builders directly
MAX_WINDOW_SECONDS = 90 * 86400
BEHAVIOUR_RE = re.compile(r"^[\w.:-]{1,40}$")  # letters of any script: a log's page names (详情页)
WINDOW_RE = re.compile(r"^\s*(\d{1,7})\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_PATHS = 20


def tables_for(shop: Any) -> Tables:
    """The shop's lake tables on the configured engine (tests replace this with hand-built tables)."""
    return LakeTables(get_engine(), shop.pk)


def _rows(tables: Tables, expr: Any) -> list[dict]:
    return tables.engine.rows(expr)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


# --- input ---------------------------------------------------------------------------------------------------


def parse_window(text: str | None, errors: ErrorCollector, *, field: str = "window") -> int:
    """``Ns``, ``Nm``, ``Nh`` or ``Nd`` → seconds (1 s … 90 days)."""
    match = WINDOW_RE.match(str(text or ""))
    seconds = int(match.group(1)) * UNIT_SECONDS[match.group(2)] if match else 0
    if not match or not 1 <= seconds <= MAX_WINDOW_SECONDS:
        errors.add(field, _("Give the window as a number and a unit s, m, h or d (e.g. 30m, 1d), at most 90 days."))
        return 0
    return seconds


def parse_dates(date_from: Any, date_to: Any, errors: ErrorCollector) -> tuple[dt.date, dt.date]:
    """The metrics' period rule (``parse_period``) with this module's shorter limit; placeholder dates on
    error (the caller raises before using them)."""
    return parse_period(date_from, date_to, errors=errors, max_days=MAX_DAYS) or (dt.date.min, dt.date.min)


def _behaviour(value: Any, field: str, errors: ErrorCollector) -> str:
    text = str(value or "").strip()
    if not BEHAVIOUR_RE.match(text):
        errors.add(field, _("An event name is letters, digits, _ . : or - (at most 40)."))
    return text


def parse_steps(value: Any, errors: ErrorCollector) -> list[str]:
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    steps = [str(s).strip() for s in items if str(s).strip()]
    if not 2 <= len(steps) <= funnel_queries.MAX_STEPS:
        errors.add("steps", _("A funnel has 2 to 10 steps, separated by commas (e.g. pv,cart,buy)."))
        return steps
    for step in steps:
        _behaviour(step, "steps", errors)
    if len(set(steps)) != len(steps):
        errors.add("steps", _("Each step must be a different event."))
    return steps


def _choice(value: Any, choices: tuple[str, ...], field: str, errors: ErrorCollector) -> str:
    text = str(value).strip()
    if text not in choices:
        errors.add(field, _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)})
    return text


# --- funnels -------------------------------------------------------------------------------------------------


def _funnel_rows(raw: list[dict], steps: list[str]) -> list[dict]:
    people = {r["step"]: int(r["people"]) for r in raw}
    first = people.get(1, 0)
    rows, previous = [], None
    for i, behaviour in enumerate(steps, start=1):
        n = people.get(i, 0)
        rows.append({"step": i, "behavior": behaviour, "people": n,
                     "conversion_from_previous": _rate(n, n if previous is None else previous),
                     "conversion_from_first": _rate(n, first)})
        previous = n
    return rows


def funnel_report(*, shop: Any, steps: Any, date_from: Any, date_to: Any, window: Any = "1d",
                  mode: Any = "sequential", by: Any = None, tables: Tables | None = None) -> dict:
    """People per step (furthest step reached in the window), conversion from the previous and first step.

    ``groups`` holds the same per ``by`` value (not additive: a person can be in several); ``rows`` is the
    whole shop's funnel.
    """
    errors = ErrorCollector()
    step_list = parse_steps(steps, errors)
    seconds = parse_window(window, errors)
    mode = _choice(mode or "sequential", funnel_queries.MODES, "mode", errors)
    by = str(by).strip() if by else None
    if by:
        _choice(by, funnel_queries.BY_COLUMNS, "by", errors)
    start, end = parse_dates(date_from, date_to, errors)
    errors.raise_if_any(_("The funnel cannot be computed."))
    tables = tables or tables_for(shop)
    params = {"steps": step_list, "window_seconds": seconds, "mode": mode, "date_from": start, "date_to": end,
              "days_last_24_hours": days_last_24_hours(start, end, shop.timezone if shop is not None else DEFAULT_TZ)}
    overall, raw = remember("behaviour.funnel", tables, {**params, "by": by}, lambda t: _funnel_raw(t, params, by))
    groups = []
    if by:
        values = sorted({r["grp"] for r in raw})
        groups = [{"value": v, "rows": _funnel_rows([r for r in raw if r["grp"] == v], step_list)} for v in values]
        groups.sort(key=lambda g: (-g["rows"][0]["people"], g["value"]))
    return {"steps": step_list, "window": str(window).strip(), "window_seconds": seconds, "mode": mode,
            "from": start.isoformat(), "to": end.isoformat(), "by": by,
            "rows": _funnel_rows(overall, step_list), "groups": groups}


def _funnel_raw(tables: Tables, params: dict[str, Any], by: str | None) -> tuple[list[dict], list[dict]]:
    """The funnel's rows for the whole shop and, with ``by``, per group (the lake part of the report)."""
    overall = _rows(tables, funnel_queries.funnel(tables, **params))
    grouped = _rows(tables, funnel_queries.funnel(tables, by=by, **params)) if by else []
    return overall, grouped


def behaviours_present(*, shop: Any, tables: Tables | None = None) -> list[str]:
    """The event names in the shop's log, most frequent first (the funnel builder offers these)."""
    tables = tables or tables_for(shop)
    rows = remember("behaviour.present", tables, {}, _behaviour_counts)
    return [r["behavior"] for r in sorted(rows, key=lambda r: (-r["n"], r["behavior"])) if r["behavior"]]


def _behaviour_counts(tables: Tables) -> list[dict]:
    events = tables["events"]
    return _rows(tables, events.group_by("behavior").aggregate(n=events.count()))


# --- paths ---------------------------------------------------------------------------------------------------


def paths_report(*, shop: Any, date_from: Any, date_to: Any, start: Any = None, limit: Any = DEFAULT_PATHS,
                 max_steps: int = path_queries.MAX_STEPS, tables: Tables | None = None) -> dict:
    """Top session paths (first ``max_steps`` steps, repeats collapsed) and the step → step edges."""
    errors = ErrorCollector()
    begin, end = parse_dates(date_from, date_to, errors)
    start = str(start).strip() if start else None
    if start:
        _behaviour(start, "start", errors)
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= 200:
        errors.add("limit", _("Show 1 to 200 paths."))
    errors.raise_if_any(_("The paths cannot be computed."))
    tables = tables or tables_for(shop)
    pages, raw_paths = remember("behaviour.paths", tables, {"from": begin, "to": end, "start": start,
                                                            "max_steps": max_steps},
                                lambda t: _paths_raw(t, begin, end, start, max_steps))
    total = sum(int(r["sessions"]) for r in raw_paths)
    paths: list[dict[str, Any]] = [
        {"steps": [r[f"step_{i}"] for i in range(1, max_steps + 1) if r[f"step_{i}"] is not None],
         "sessions": int(r["sessions"])} for r in raw_paths]
    paths.sort(key=lambda p: (-p["sessions"], p["steps"]))
    for p in paths:
        p["share"] = _rate(p["sessions"], total)
    # step i → i+1 counts come from all paths (each path row is already a group of sessions): the same numbers
    # as queries.paths.path_edges without a second pass over the log
    counted: dict[tuple[int, str, str], int] = {}
    for p in paths:
        for i, (source, target) in enumerate(zip(p["steps"], p["steps"][1:], strict=False), start=1):
            counted[(i, source, target)] = counted.get((i, source, target), 0) + p["sessions"]
    edges: list[dict[str, Any]] = sorted(
        ({"step": k[0], "source": k[1], "target": k[2], "sessions": n} for k, n in counted.items()),
        key=lambda e: (e["step"], -e["sessions"], e["source"], e["target"]))
    # where sessions stop: the last step of every path shorter than max_steps (a longer one was only cut off)
    stopped: dict[tuple[int, str], int] = {}
    for p in paths:
        if len(p["steps"]) < max_steps:
            key = (len(p["steps"]), p["steps"][-1])
            stopped[key] = stopped.get(key, 0) + p["sessions"]
    ends: list[dict[str, Any]] = [{"step": k[0], "behavior": k[1], "sessions": n}
                                  for k, n in sorted(stopped.items(), key=lambda kn: (kn[0][0], -kn[1], kn[0][1]))]
    return {"from": begin.isoformat(), "to": end.isoformat(), "start": start, "max_steps": max_steps,
            "step_kind": "page" if pages else "event", "idle_minutes": path_queries.IDLE_SECONDS // 60, "sessions": total, "paths": paths[:limit],
            "edges": edges, "ends": ends}


def _paths_raw(tables: Tables, begin: dt.date, end: dt.date, start: str | None, max_steps: int
               ) -> tuple[bool, list[dict]]:
    """(are the steps pages, the top paths' rows): the lake part of the paths report."""
    # pages when the log names them (docs/rules/analytics.md#paths), else event types
    column = path_queries.page_column(tables)
    pages = column is not None and bool(tables.engine.scalar(
        path_queries.page_events(tables, column, date_from=begin, date_to=end)))
    return pages, _rows(tables, path_queries.top_paths(tables, date_from=begin, date_to=end, start=start,
                                                       max_steps=max_steps, pages=pages))


# --- retention -----------------------------------------------------------------------------------------------


def retention_report(*, shop: Any, date_from: Any, date_to: Any, cohort: Any = "first_event", period: Any = "day",
                     active: Any = "any", tables: Tables | None = None) -> dict:
    """Cohorts by first activity; users active in period 0..N of each and the rate vs the cohort's size."""
    errors = ErrorCollector()
    begin, end = parse_dates(date_from, date_to, errors)
    cohort = _choice(cohort or "first_event", retention_queries.COHORTS, "cohort", errors)
    period = _choice(period or "day", retention_queries.PERIODS, "period", errors)
    active = _choice(active or "any", retention_queries.ACTIVE, "active", errors)
    errors.raise_if_any(_("The retention cannot be computed."))
    tables = tables or tables_for(shop)
    params = {"date_from": begin, "date_to": end, "cohort": cohort, "period": period, "active": active}
    raw = remember("behaviour.retention", tables, params,
                   lambda t: _rows(t, retention_queries.retention(t, **params)))
    days = 1 if period == "day" else 7
    last = end if period == "day" else end - dt.timedelta(days=end.weekday())
    by_cohort: dict[dt.date, dict] = {}
    for r in raw:
        entry = by_cohort.setdefault(r["cohort"], {"size": int(r["cohort_users"]), "active": {}})
        entry["active"][int(r["period"])] = int(r["users"])
    cohorts = []
    for start in sorted(by_cohort):
        entry = by_cohort[start]
        span = (last - start).days // days
        cohorts.append({"cohort": start.isoformat(), "users": entry["size"],
                        "periods": [{"period": n, "users": entry["active"].get(n, 0),
                                     "rate": _rate(entry["active"].get(n, 0), entry["size"])}
                                    for n in range(span + 1)]})
    max_period = max((len(c["periods"]) for c in cohorts), default=0) - 1
    return {"from": begin.isoformat(), "to": end.isoformat(), "cohort": cohort, "period": period, "active": active,
            "max_period": max(max_period, 0) if cohorts else None, "cohorts": cohorts}


def behaviour_span(*, shop: Any, tables: Tables | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last business date in the shop's behaviour log; None when it is empty (pages default to it)."""
    tables = tables or tables_for(shop)
    row = remember("behaviour.span", tables, {}, _span_row)
    return (row["first"], row["last"]) if row["first"] is not None else None


def _span_row(tables: Tables) -> dict:
    events = tables["events"]
    return _rows(tables, events.aggregate(first=events.date.min(), last=events.date.max()))[0]


def coverage(*, shop: Any, date_from: Any, date_to: Any, tables: Tables | None = None) -> dict | None:
    """Which channels the log covers in the period (selectors.coverage); None when the period is not valid
    (the page shows the period's errors instead)."""
    period = parse_period(date_from, date_to, errors=ErrorCollector(), max_days=MAX_DAYS)
    if period is None:
        return None
    return behaviour_coverage(tables=tables or tables_for(shop), date_from=period[0], date_to=period[1])


def saved_funnels(*, shop: Any) -> list[SavedFunnel]:
    """The shop's named funnels, by name."""
    return list(SavedFunnel.objects.filter(shop=shop).order_by("name"))
