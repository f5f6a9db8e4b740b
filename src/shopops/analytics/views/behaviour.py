"""Analytics pages: funnel builder, paths (Sankey) and retention (heatmap); each with a table and xlsx.

Thin: the selectors validate and compute (analytics/selectors/behaviour.py); a bad parameter shows the field's
message above the form instead of a chart. Charts are drawn by static/analytics/behaviour.js from a
``json_script`` block (no inline script), with the Plotly bundle served locally.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shopops.analytics.selectors import behaviour as selectors
from shopops.analytics.selectors import metrics as metric_selectors
from shopops.analytics.services.funnels import saved_funnel_delete, saved_funnel_save
from shopops.channels.labels import channel_label, source_label
from shopops.core import roles
from shopops.core.errors import InvalidInput, NotFound, ShopOpsError
from shopops.core.i18n import say
from shopops.core.text import listing
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column, xlsx_response

BEHAVIOUR_LABELS = {"pv": gettext_lazy("View"), "cart": gettext_lazy("Add to cart"),
                    "fav": gettext_lazy("Favourite"), "buy": gettext_lazy("Buy")}
MODE_LABELS = {"sequential": gettext_lazy("Sequential (other events allowed between)"),
               "strict": gettext_lazy("Strict (no other funnel event between steps)"),
               "any": gettext_lazy("Any order")}
BY_LABELS = {"": gettext_lazy("Everyone in the behaviour log"), "channel": gettext_lazy("By channel"),
             "source": gettext_lazy("By source")}
COHORT_LABELS = {"first_event": gettext_lazy("First event"), "first_buy": gettext_lazy("First purchase")}
PERIOD_LABELS = {"day": gettext_lazy("Day"), "week": gettext_lazy("Week")}
ACTIVE_LABELS = {"any": gettext_lazy("Any event"), "buy": gettext_lazy("Purchase")}
DEFAULT_DAYS = 30
STEP_SLOTS = 5
# The funnel window's units as people say them; the code (30m, 2h, 1d) stays the API's and the saved funnel's.
WINDOW_UNITS = {"m": gettext_lazy("minutes"), "h": gettext_lazy("hours"), "d": gettext_lazy("days")}
SMALL_COHORT = 30  # fewer people than this: one person more or less moves the rate by several points


PAGE_LABELS = {"home": gettext_lazy("Home page"), "search": gettext_lazy("Search results"),
               "list": gettext_lazy("Product list"), "category": gettext_lazy("Category page"),
               "detail": gettext_lazy("Product detail"), "item": gettext_lazy("Product detail"),
               "cart": gettext_lazy("Cart"), "checkout": gettext_lazy("Checkout"),
               "order": gettext_lazy("Order confirmation"), "pay": gettext_lazy("Payment"),
               "me": gettext_lazy("My account")}


def label(behaviour: str | None) -> str:
    return str(BEHAVIOUR_LABELS.get(behaviour, behaviour or "")) if behaviour else ""


def step_label(step: str, kind: str) -> str:
    """A path step for people: a page type's name (the log's own page names as they are), or an event's."""
    return str(PAGE_LABELS.get(step, step)) if kind == "page" else label(step)


def group_label(by: str, value: str) -> str:
    """A funnel breakdown value's name: the channel's or source's name in the user's language."""
    if by == "channel":
        return channel_label(value) or "—"
    return source_label(value)


def coverage_context(request: HttpRequest, date_from: str, date_to: str) -> dict | None:
    """The channels the page covers, named (docs/rules/analytics.md#behaviour-coverage); None on a bad period."""
    cover = selectors.coverage(shop=request.shop, date_from=date_from, date_to=date_to)
    if cover is None:
        return None
    return {**cover, "channel_names": say(listing([channel_label(c) for c in cover["channels"]])),
            "missing_names": say(listing([channel_label(c) for c in cover["missing"]])),
            "without_names": say(listing([channel_label(c) for c in cover["without_funnel"]])),
            "platform_funnels": [{**f, "label": channel_label(f["channel"])} for f in cover["platform_funnels"]]}


def _dates(request: HttpRequest, *, days: int = DEFAULT_DAYS) -> tuple[str, str]:
    """The range asked for, else the last ``days`` finished days of the behaviour log (up to yesterday)."""
    start, end = metric_selectors.default_period(request.shop.timezone, days=days,
                                                 span=selectors.behaviour_span(shop=request.shop))
    return request.GET.get("from") or start.isoformat(), request.GET.get("to") or end.isoformat()


def _xlsx(name: str, sheet: str, columns: list[Column], rows: list[Any]) -> HttpResponse:
    return xlsx_response(filename=name, sheet=sheet, columns=columns, rows=rows)


# --- funnel ----------------------------------------------------------------------------------------------------


@page_requires(roles.VIEW_ANALYTICS)
def funnel_page(request: HttpRequest) -> HttpResponse:
    present = selectors.behaviours_present(shop=request.shop)
    date_from, date_to = _dates(request)
    chosen = [s for s in request.GET.getlist("step") if s.strip()]
    if not chosen and request.GET.get("steps"):
        chosen = [s for s in request.GET["steps"].split(",") if s.strip()]
    if not chosen:
        chosen = [s for s in ("pv", "cart", "buy") if s in present] or present[:3]
    params = {"window": _window(request), "mode": request.GET.get("mode", "sequential"),
              "by": request.GET.get("by", "")}
    report, errors, detail = None, [], ""
    if len(chosen) >= 2 or request.GET:
        try:
            report = selectors.funnel_report(shop=request.shop, steps=chosen, date_from=date_from, date_to=date_to,
                                             **params)
        except InvalidInput as exc:
            errors, detail = [_window_error(e.as_dict()) for e in exc.errors], exc.detail
    groups = []
    if report:
        groups = [{"value": "", "label": str(BY_LABELS[""]), "rows": report["rows"]}]
        groups += [{"value": g["value"], "label": group_label(params["by"], g["value"]), "rows": g["rows"]}
                   for g in report["groups"]]
        for group in groups:
            for row in group["rows"]:
                row["label"] = label(row["behavior"])
    if report and request.GET.get("export") == "xlsx":
        columns = [Column("group", _("Group"), lambda r: r[0]), Column("step", _("Step"), lambda r: r[1]["step"]),
                   Column("behavior", _("Event"), lambda r: r[1]["behavior"]),
                   Column("people", _("People"), lambda r: r[1]["people"]),
                   Column("prev", _("Conversion from previous step"), lambda r: r[1]["conversion_from_previous"]),
                   Column("first", _("Conversion from first step"), lambda r: r[1]["conversion_from_first"])]
        return _xlsx("funnel.xlsx", _("Funnel"), columns, [(g["label"], r) for g in groups for r in g["rows"]])
    chart = None
    if report:
        chart = {"series": [{"name": g["label"], "x": [f"{r['step']}. {r['label']}" for r in g["rows"]],
                             "y": [r["people"] for r in g["rows"]]} for g in groups[:8]],
                 "labels": {"people": _("People"), "step": _("Step")}}
    slots = (chosen + [""] * STEP_SLOTS)[:max(STEP_SLOTS, len(chosen))]
    saved = [{"pk": f.pk, "name": f.name, "query": _funnel_query(f.steps, f.window, f.mode)}
             for f in selectors.saved_funnels(shop=request.shop)]
    return render(request, "analytics/funnel.html", {
        "saved": saved, "chosen": chosen, "can_save": request.user.has_perm(roles.SAVE_FUNNELS),
        "report": report, "groups": groups, "chart": chart, "errors": errors, "detail": detail,
        "slots": slots, "behaviours": [(b, label(b)) for b in present], "date_from": date_from, "date_to": date_to,
        "params": params, "modes": list(MODE_LABELS.items()), "bys": list(BY_LABELS.items()),
        "window": _window_parts(params["window"]),
        "query": request.GET.urlencode(), "coverage": coverage_context(request, date_from, date_to),
    })


def _window(request: HttpRequest) -> str:
    """The window code from the form's number and unit (分钟/小时/天), else as given (saved funnels, links)."""
    number, unit = request.GET.get("window_n", "").strip(), request.GET.get("window_unit", "")
    if number or unit:
        return f"{number}{unit}"
    return request.GET.get("window", "1d")


def _window_parts(code: str) -> dict:
    """A window code as the form shows it: the number and the unit's choices (seconds only when given so)."""
    match = selectors.WINDOW_RE.match(code or "")
    number, unit = (match.group(1), match.group(2)) if match else ((code or "").strip(), "d")
    units = [(u, str(text)) for u, text in WINDOW_UNITS.items()]
    if unit not in WINDOW_UNITS:
        units.insert(0, (unit, str(_("seconds"))))
    return {"number": number, "unit": unit, "units": units}


def _window_error(error: dict) -> dict:
    """The selector's window message names its codes (s, m, h, d); the form asks for a number and a unit."""
    if error.get("field") != "window":
        return error
    return {**error, "message": str(_("Give the window as a whole number of minutes, hours or days, "
                                      "at most 90 days."))}


def _funnel_query(steps: list[str], window: str, mode: str) -> str:
    return urlencode([*(("step", s) for s in steps), ("window", window), ("mode", mode)])


@page_requires(roles.SAVE_FUNNELS)
@require_POST
def funnel_save(request: HttpRequest) -> HttpResponse:
    """Save the funnel on the page under a name (the same name replaces it); back to the page either way."""
    steps = [s for s in request.POST.getlist("step") if s.strip()]
    window, mode = request.POST.get("window", "1d"), request.POST.get("mode", "sequential")
    try:
        funnel = saved_funnel_save(shop=request.shop, name=request.POST.get("name", ""), steps=steps,
                                   window=window, mode=mode)
    except ShopOpsError as exc:
        messages.error(request, " ".join([exc.detail, *(e.message for e in exc.errors)]))
    else:
        messages.success(request, _("Funnel “%(name)s” saved.") % {"name": funnel.name})
    return redirect(reverse("web:analytics_funnel") + "?" + _funnel_query(steps, window, mode))


@page_requires(roles.SAVE_FUNNELS)
@require_POST
def funnel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        saved_funnel_delete(shop=request.shop, funnel_id=pk)
    except NotFound as exc:  # another shop's funnel: as if it did not exist
        raise Http404 from exc
    except ShopOpsError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Saved funnel deleted."))
    return redirect("web:analytics_funnel")


# --- paths -----------------------------------------------------------------------------------------------------


@page_requires(roles.VIEW_ANALYTICS)
def paths_page(request: HttpRequest) -> HttpResponse:
    present = selectors.behaviours_present(shop=request.shop)
    date_from, date_to = _dates(request, days=7)
    start = request.GET.get("start", "")
    report, errors, detail = None, [], ""
    try:
        report = selectors.paths_report(shop=request.shop, date_from=date_from, date_to=date_to, start=start or None,
                                        limit=request.GET.get("limit", selectors.DEFAULT_PATHS))
    except InvalidInput as exc:
        errors, detail = [e.as_dict() for e in exc.errors], exc.detail
    kind = report["step_kind"] if report else "event"
    if report:
        for p in report["paths"]:
            p["labels"] = [step_label(s, kind) for s in p["steps"]]
        for e in report["edges"]:
            e["source_label"], e["target_label"] = step_label(e["source"], kind), step_label(e["target"], kind)
    if report and request.GET.get("export") == "xlsx":
        columns = [Column("path", _("Path"), lambda p: " → ".join(p["labels"])),
                   Column("sessions", _("Sessions"), lambda p: p["sessions"]),
                   Column("share", _("Share of sessions"), lambda p: p["share"])]
        return _xlsx("paths.xlsx", _("Paths"), columns, report["paths"])
    chart = _sankey(report, kind) if report and report["edges"] else None
    return render(request, "analytics/paths.html", {
        "report": report, "chart": chart, "errors": errors, "detail": detail, "date_from": date_from,
        "date_to": date_to, "start": start, "behaviours": _start_choices(report, present, start),
        "query": request.GET.urlencode(), "step_kind": kind,
        "coverage": coverage_context(request, date_from, date_to),
    })


EXIT = ""  # the "sessions end here" node of a column
NODE_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf"]  # Plotly's own; the end node is light grey


def _sankey(report: dict, kind: str) -> dict:
    """Nodes (one per step and event, each in its step's column), the step → step links and, from each node,
    the sessions that stop there (to a grey "end" node in the next column): without them the first column
    looks as if everyone went on. ``x``/``y``: the node's place (0..1), so a step is never drawn in another
    step's column."""
    links = [((e["step"], e["source"]), (e["step"] + 1, e["target"]), e["sessions"]) for e in report["edges"]]
    links += [((e["step"], e["behavior"]), (e["step"] + 1, EXIT), e["sessions"]) for e in report["ends"]]
    nodes: dict[tuple[int, str], int] = {}
    into: dict[tuple[int, str], int] = {}
    out: dict[tuple[int, str], int] = {}
    for src, dst, n in links:
        for key in (src, dst):
            nodes.setdefault(key, len(nodes))
        out[src] = out.get(src, 0) + n
        into[dst] = into.get(dst, 0) + n
    size = {key: max(into.get(key, 0), out.get(key, 0)) for key in nodes}
    columns = max(step for step, _b in nodes)
    per_column = {c: [key for key in nodes if key[0] == c] for c in range(1, columns + 1)}
    tallest = max(sum(size[key] for key in keys) for keys in per_column.values()) or 1
    place: dict[tuple[int, str], tuple[float, float]] = {}
    for c, keys in per_column.items():
        gap = tallest * 0.2 / max(len(keys), 1)
        done = 0.0
        for key in keys:
            middle = (done + size[key] / 2) / (tallest * 1.2)
            place[key] = (round(0.001 + 0.998 * (c - 1) / max(columns - 1, 1), 4),
                          round(min(0.999, max(0.001, middle)), 4))
            done += size[key] + gap
    end = str(_("Sessions end"))
    return {"labels": [end if b == EXIT else f"{step}. {step_label(b, kind)}" for (step, b) in nodes],
            "colors": ["#d9d9d9" if key[1] == EXIT else NODE_COLOURS[i % len(NODE_COLOURS)]
                       for i, key in enumerate(nodes)],
            "x": [place[key][0] for key in nodes], "y": [place[key][1] for key in nodes],
            "source": [nodes[src] for src, _dst, _n in links], "target": [nodes[dst] for _src, dst, _n in links],
            "value": [n for _src, _dst, n in links]}


def _start_choices(report: dict | None, present: list[str], start: str) -> list[tuple[str, str]]:
    """Where a path may start: the log's events, or with page paths the pages seen (and the one chosen)."""
    if not report or report["step_kind"] != "page":
        return [(b, label(b)) for b in present]
    pages = sorted({s for p in report["paths"] for s in p["steps"]} | ({start} if start else set()))
    return [(p, step_label(p, "page")) for p in pages]


# --- retention -------------------------------------------------------------------------------------------------


@page_requires(roles.VIEW_ANALYTICS)
def retention_page(request: HttpRequest) -> HttpResponse:
    date_from, date_to = _dates(request)
    params = {"cohort": request.GET.get("cohort", "first_event"), "period": request.GET.get("period", "day"),
              "active": request.GET.get("active", "any")}
    report, errors, detail = None, [], ""
    try:
        report = selectors.retention_report(shop=request.shop, date_from=date_from, date_to=date_to, **params)
    except InvalidInput as exc:
        errors, detail = [e.as_dict() for e in exc.errors], exc.detail
    periods = list(range((report["max_period"] or 0) + 1)) if report and report["cohorts"] else []
    if report:
        _blank_unfinished(report, metric_selectors.last_full_day(request.shop.timezone))
    headers = [period_header(report["period"] if report else "day", n) for n in periods]
    if report and request.GET.get("export") == "xlsx":
        columns = [Column("cohort", _("Cohort"), lambda c: c["cohort"]),
                   Column("users", _("People"), lambda c: c["users"])]
        columns += [Column(f"p{n}", headers[n],
                           lambda c, n=n: c["periods"][n]["rate"] if n < len(c["periods"]) else None)
                    for n in periods]
        return _xlsx("retention.xlsx", _("Retention"), columns, report["cohorts"])
    chart = None
    if report and report["cohorts"]:
        chart = {"x": headers, "y": [c["cohort"] for c in report["cohorts"]],
                 "z": [[p["rate"] for p in c["periods"]] + [None] * (len(periods) - len(c["periods"]))
                       for c in report["cohorts"]],
                 "labels": {"period": _("Period"), "cohort": _("Cohort"), "rate": _("Retention")}}
    return render(request, "analytics/retention.html", {
        "report": report, "chart": chart, "errors": errors, "detail": detail, "date_from": date_from,
        "date_to": date_to, "params": params, "periods": periods, "headers": headers,
        "small_cohort": SMALL_COHORT,
        "has_small": any(c["users"] < SMALL_COHORT for c in (report or {}).get("cohorts", [])),
        "cohorts": list(COHORT_LABELS.items()),
        "period_choices": list(PERIOD_LABELS.items()), "actives": list(ACTIVE_LABELS.items()),
        "query": request.GET.urlencode(), "coverage": coverage_context(request, date_from, date_to),
    })


def period_header(period: str, n: int) -> str:
    """A retention column's name: 第N天 / 第N周 (Day N / Week N), N counted from the cohort's own day or week."""
    if period == "week":
        return _("Week %(n)s") % {"n": n}
    return _("Day %(n)s") % {"n": n}


def _blank_unfinished(report: dict, last_full_day: dt.date) -> None:
    """Cells whose day or week has not ended yet (it reaches today): no rate rather than a low one — the day is
    still running, so 0.0% would read as nobody came back. Marks them ``unfinished``."""
    days = 7 if report["period"] == "week" else 1
    for cohort in report["cohorts"]:
        start = dt.date.fromisoformat(cohort["cohort"])
        for cell in cohort["periods"]:
            cell_end = start + dt.timedelta(days=days * (cell["period"] + 1) - 1)
            if cell_end > last_full_day:
                cell.update(rate=None, unfinished=True)


urlpatterns = [
    path("analytics/funnel/", funnel_page, name="analytics_funnel"),
    path("analytics/funnel/save/", funnel_save, name="analytics_funnel_save"),
    path("analytics/funnel/saved/<int:pk>/delete/", funnel_delete, name="analytics_funnel_delete"),
    path("analytics/paths/", paths_page, name="analytics_paths"),
    path("analytics/retention/", retention_page, name="analytics_retention"),
]
