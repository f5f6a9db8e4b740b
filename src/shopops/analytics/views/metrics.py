"""Analytics pages: traffic sources & metrics, product analysis, GMV explanation.

Each chart is also a table on the page and an xlsx download (``?export=xlsx&table=<name>``). Charts are Plotly,
served locally (static ``vendor/plotly.min.js``), drawn by ``analytics/metrics_charts.js`` from json_script data.
Bad input shows the errors on the page (nothing crashes); an empty shop or lake shows zeros and dashes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from shopops.analytics.metrics import METRICS, NOTES
from shopops.analytics.selectors import metrics as metric_selectors
from shopops.analytics.selectors import products as product_selectors
from shopops.analytics.selectors import timeline as timeline_selectors
from shopops.analytics.selectors import traffic as traffic_selectors
from shopops.analytics.services.warmup import DEFAULT_DAYS, TRAFFIC_METRICS
from shopops.analytics.views.panels import page_with_panel, panel_fragment
from shopops.channels.domain import CHANNELS
from shopops.channels.labels import channel_label, source_label
from shopops.core import roles
from shopops.core.domain import rise_fall_colors
from shopops.core.errors import ErrorCollector, ShopOpsError
from shopops.core.money import fen_to_decimal
from shopops.core.selectors import user_color_rule
from shopops.orders import selectors as order_selectors
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column, xlsx_response
from shopops.ui.templatetags.shopops import fen as fen_text

METRIC_LABELS = {name: metric.label for name, metric in METRICS.items()}
NOTE_TEXT = {
    **NOTES,
    "stock_absent": gettext_lazy("Stock is not available: sell-through cannot be computed."),
    "skus_not_in_catalog": gettext_lazy("Some SKUs that sold are no longer in the catalog."),
    "gmv_without_visitors": gettext_lazy(
        "Some periods have sales but no visitor data (no behaviour log or platform traffic imported): there GMV is "
        "split into buyers × order value, and the visitors part shows the change due to the number of buyers."),
}
GROUP_LABELS = {"channel": gettext_lazy("Channel"), "source": gettext_lazy("Traffic source"),
                "day": gettext_lazy("Date")}


def _period(request: HttpRequest) -> tuple[str, str]:
    start, end = metric_selectors.default_period(request.shop.timezone, days=DEFAULT_DAYS)
    return (request.GET.get("from", "").strip() or start.isoformat(),
            request.GET.get("to", "").strip() or end.isoformat())


FIELD_LABELS = {"from": gettext_lazy("Start date"), "to": gettext_lazy("End date"),
                "vs": gettext_lazy("Comparison period"), "by": gettext_lazy("Group by"),
                "channel": gettext_lazy("Channel")}


def _errors(exc: ShopOpsError, *, skip: tuple[str, ...] = ()) -> list[str]:
    """The field errors as "<field label>: <message>" lines (``skip``: fields the user did not fill in)."""
    lines = [f"{FIELD_LABELS.get(e.field, e.field)}: {e.message}" for e in exc.errors if e.field not in skip]
    return list(dict.fromkeys(lines)) or [exc.detail]  # both ends of a comparison period can say the same


def _value(row: dict, key: str) -> Any:
    """A metric's cell: money (integer fen) as Decimal yuan for the table and the xlsx, the rest as is."""
    value = row.get(key)
    kind = METRICS[key].kind if key in METRICS else ""
    if value is not None and kind == "money":
        return fen_to_decimal(value)
    return value


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else fen_to_decimal(fen)


def _chart_yuan(fen: int) -> float:
    """Fen as the float yuan a Plotly axis plots (display only)."""
    return float(fen_to_decimal(fen))


def _label(key: str, value: object, language: str) -> str:
    if key == "channel":
        return channel_label(str(value)) if value else "—"
    if key == "source":
        return source_label(str(value or ""))
    return str(value) if value not in (None, "") else "—"


def _metric_columns(group: str | None, names: list[str], language: str) -> list[Column]:
    columns = []
    if group:
        columns.append(Column(group, GROUP_LABELS.get(group, group),
                              lambda r, g=group: _label(g, r.get(g), language)))
    for name in names:
        columns.append(Column(name, METRIC_LABELS[name], lambda r, n=name: _value(r, n), numeric=True))
    return columns


def _table(columns: list[Column], rows: list[dict], *, kinds: dict[str, str] | None = None) -> dict:
    """Headers and cells for the metrics_table.html include (money/rate formatting in the template)."""
    kinds = kinds or {}
    return {
        "headers": [{"label": c.label, "numeric": c.numeric} for c in columns],
        "rows": [[{"value": c.value(r), "numeric": c.numeric,
                   "kind": kinds.get(c.key) or (METRICS[c.key].kind if c.key in METRICS else "")}
                  for c in columns] for r in rows],
    }


def _export(request: HttpRequest, tables: dict[str, tuple[str, list[Column], list[dict]]],
            errors: list[str]) -> HttpResponse | None:
    """The xlsx of one table; None (show the page) when not asked for or when the input has errors: an empty
    file would not say what is wrong."""
    if request.GET.get("export") != "xlsx" or errors:
        return None
    name = request.GET.get("table", "")
    if name not in tables:
        name = next(iter(tables))
    title, columns, rows = tables[name]
    return xlsx_response(filename=f"{name}.xlsx", sheet=title, columns=columns, rows=rows)


# ---------------------------------------------------------------------------------------------------- traffic

CARD_METRICS = ["uv", "buyers", "gmv", "cvr", "aov", "uv_value", "bounce_rate", "refund_rate"]


UNATTRIBUTED_LABELS = {
    traffic_selectors.NO_SOURCE: gettext_lazy("Unattributed (the reports give no source)"),
    traffic_selectors.ORDERS_WITHOUT_SOURCE: gettext_lazy("Unattributed (orders without a source)"),
    traffic_selectors.REPORT_DIFFERS: gettext_lazy("Unattributed (orders differ from the platform report)"),
}
BASIS_LABELS = {traffic_selectors.REPORT: gettext_lazy("Platform traffic report"),
                traffic_selectors.ORDERS: gettext_lazy("Orders' source")}


def _basis(value: str) -> str:
    return "、".join(str(BASIS_LABELS[b]) for b in value.split("+") if b in BASIS_LABELS) if value else ""


def _source_name(row: dict) -> str:
    if row["kind"] == "unattributed":
        return str(UNATTRIBUTED_LABELS[row["reason"]])
    return source_label(row["source"])


def _channel_amounts(row: dict) -> str:
    """The channels behind an unattributed row: "天猫 ¥1,234.00、小红书 ¥56.00"."""
    if row["kind"] != "unattributed":
        return ""
    return "、".join(f"{channel_label(ch)} {fen_text(amount)}" for ch, amount in row["channels"].items())


def _source_columns() -> list[Column]:
    return [
        Column("source", GROUP_LABELS["source"], _source_name),
        Column("uv", METRIC_LABELS["uv"], lambda r: r.get("uv"), numeric=True),
        Column("pv", METRIC_LABELS["pv"], lambda r: r.get("pv"), numeric=True),
        Column("gmv", METRIC_LABELS["gmv"], lambda r: _yuan(r["gmv_fen"]), numeric=True),
        Column("share", gettext_lazy("Share of GMV"), lambda r: r["share"], numeric=True),
        Column("basis", gettext_lazy("GMV by source from"), lambda r: _basis(r.get("basis", ""))),
        Column("bounce_rate", METRIC_LABELS["bounce_rate"], lambda r: r.get("bounce_rate"), numeric=True),
        Column("cart_rate", METRIC_LABELS["cart_rate"], lambda r: r.get("cart_rate"), numeric=True),
        Column("fav_rate", METRIC_LABELS["fav_rate"], lambda r: r.get("fav_rate"), numeric=True),
        Column("channels", gettext_lazy("Channels"), _channel_amounts),
    ]


SOURCE_KINDS = {"gmv": "money", "share": "rate"}


def _channel_choices(current: str) -> list[tuple[str, str]]:
    """The channel select: every known channel by its name (and a code of the data that is not one)."""
    choices = [(c.code, channel_label(c.code)) for c in CHANNELS]
    if current and current not in {c for c, _label in choices}:
        choices.append((current, current))
    return choices


COUNT_AXIS = {"tickformat": ",d"}  # whole-number ticks (static/ui/charts.js keeps them on whole numbers)


def _bar_chart(labels: list[str], series: list[tuple[str, list, str, bool]], *, left: dict, right: dict,
               height: int = 300) -> dict:
    """Side-by-side bars of two measures on two axes (``left``/``right``: the axes' layout, e.g. title); each
    series (name, values, colour, on the right-hand axis). Its own ``offsetgroup`` per series: without one,
    bars on different axes are drawn over each other and the front one hides the other."""
    return {
        "data": [{"x": labels, "y": values, "type": "bar", "name": name, "marker": {"color": colour},
                  "offsetgroup": str(n), **({"yaxis": "y2"} if on_right else {})}
                 for n, (name, values, colour, on_right) in enumerate(series, start=1)],
        "layout": {"barmode": "group", "height": height, "margin": {"l": 70, "r": 70, "t": 10, "b": 80},
                   "legend": {"orientation": "h", "y": -0.35},
                   "yaxis": {**left, "rangemode": "tozero"},
                   "yaxis2": {**right, "overlaying": "y", "side": "right", "rangemode": "tozero", "showgrid": False}},
    }


def _traffic_shell(request: HttpRequest) -> dict:
    """The traffic page's filters (cheap: no metric computed)."""
    date_from, date_to = _period(request)
    group = request.GET.get("by", "source") if request.GET.get("by") in ("source", "channel") else "source"
    channel = traffic_selectors.parse_channel(request.GET.get("channel", "").strip(), ErrorCollector()) or ""
    return {"date_from": date_from, "date_to": date_to, "group": group, "channel": channel,
            "channels": _channel_choices(channel), "group_label": GROUP_LABELS[group]}


@page_requires(roles.VIEW_ANALYTICS)
def traffic_sources(request: HttpRequest) -> HttpResponse:
    """Metrics by day (chart + table) and by traffic source (visitors with GMV attributed to its sources,
    docs/rules/analytics.md#source-attribution) or channel, for the period. The channel filter takes a code
    or a name (tmall, 天猫). The numbers are the panel (``traffic_panel``), loaded after the page."""
    return page_with_panel(request, "analytics/traffic_sources.html", _traffic_shell(request), _traffic)


@page_requires(roles.VIEW_ANALYTICS)
def traffic_panel(request: HttpRequest) -> HttpResponse:
    """The traffic page's numbers (cards, charts, tables) for its query string: a fragment."""
    return panel_fragment(request, "analytics/_traffic_panel.html", _traffic_shell(request), _traffic)


def _traffic(request: HttpRequest) -> dict | HttpResponse:
    language = translation.get_language() or "zh-hans"
    date_from, date_to = _period(request)
    group = request.GET.get("by", "source") if request.GET.get("by") in ("source", "channel") else "source"
    typed = request.GET.get("channel", "").strip()
    errors: list[str] = []
    daily = grouped = None
    channel = ""
    try:
        parse_errors = ErrorCollector()
        channel = traffic_selectors.parse_channel(typed, parse_errors) or ""
        parse_errors.raise_if_any(_("The traffic request is not valid."))
        daily = metric_selectors.metrics_report(shop=request.shop, date_from=date_from, date_to=date_to, by="day",
                                                channel=channel, metrics=TRAFFIC_METRICS)
        if group == "source":
            grouped = traffic_selectors.traffic_by_source(shop=request.shop, date_from=date_from, date_to=date_to,
                                                          channel=channel)
        else:
            grouped = metric_selectors.metrics_report(shop=request.shop, date_from=date_from, date_to=date_to,
                                                      by=group, channel=channel, metrics=TRAFFIC_METRICS)
    except ShopOpsError as exc:
        errors = _errors(exc)
    day_rows = daily["rows"] if daily else []
    group_rows = grouped["rows"] if grouped else []
    day_columns = _metric_columns("day", TRAFFIC_METRICS, language)
    if group == "source":
        group_columns, group_kinds = _source_columns(), SOURCE_KINDS
    else:
        group_columns, group_kinds = _metric_columns(group, TRAFFIC_METRICS, language), {}
    exported = _export(request, {"daily": (str(_("Metrics by day")), day_columns, day_rows),
                                 "groups": (str(GROUP_LABELS[group]), group_columns, group_rows)}, errors)
    if exported:
        return exported
    totals = daily["totals"] if daily else {}
    cards = [{"label": METRIC_LABELS[m], "value": totals.get(m), "kind": METRICS[m].kind} for m in CARD_METRICS]
    chart = {
        "data": [
            {"x": [r["day"] for r in day_rows], "y": [r["uv"] for r in day_rows], "type": "bar",
             "name": str(METRIC_LABELS["uv"]), "marker": {"color": "#91caff"}},
            {"x": [r["day"] for r in day_rows], "y": [r["buyers"] for r in day_rows], "type": "bar",
             "name": str(METRIC_LABELS["buyers"]), "marker": {"color": "#1677ff"}},
            {"x": [r["day"] for r in day_rows], "y": [_chart_yuan(r["gmv"]) for r in day_rows], "type": "scatter",
             "mode": "lines+markers", "name": str(_("GMV (¥)")), "yaxis": "y2", "line": {"color": "#d4380d"}},
        ],
        "layout": {"barmode": "group", "height": 340, "margin": {"l": 70, "r": 70, "t": 10, "b": 40},
                   "legend": {"orientation": "h", "y": -0.2}, "xaxis": {"title": str(_("Date")), "type": "date"},
                   "yaxis": {"title": str(_("People")), "rangemode": "tozero", **COUNT_AXIS},
                   "yaxis2": {"title": str(_("GMV (¥)")), "overlaying": "y", "side": "right",
                              "rangemode": "tozero", "showgrid": False},
                   "hovermode": "x unified"},
    }
    axes = {"left": {"title": str(METRIC_LABELS["uv"]), **COUNT_AXIS}, "right": {"title": str(_("GMV (¥)"))}}
    if group == "source":
        labels = [_source_name(r) for r in group_rows]
        share_chart = _bar_chart(labels, [
            (str(METRIC_LABELS["uv"]), [r.get("uv") for r in group_rows], "#91caff", False),
            (str(_("GMV (¥)")), [None if r["gmv_fen"] is None else _chart_yuan(r["gmv_fen"]) for r in group_rows],
             "#d4380d", True)], **axes)
    else:
        labels = [_label(group, r[group], language) for r in group_rows]
        share_chart = _bar_chart(labels, [
            (str(METRIC_LABELS["uv"]), [r["uv"] for r in group_rows], "#91caff", False),
            (str(_("GMV (¥)")), [_chart_yuan(r["gmv"]) for r in group_rows], "#d4380d", True)], **axes)
    share_chart["layout"]["xaxis"] = {"title": str(GROUP_LABELS[group])}
    notes = sorted(set((daily or {}).get("notes", [])) | set((grouped or {}).get("notes", [])))
    return {
        "date_from": date_from, "date_to": date_to, "group": group, "channel": channel, "errors": errors,
        "cards": cards, "chart": chart, "share_chart": share_chart,
        "daily_table": _table(day_columns, day_rows),
        "group_table": _table(group_columns, group_rows, kinds=group_kinds),
        "attribution": (grouped or {}).get("attribution") if group == "source" else None,
        "group_label": GROUP_LABELS[group], "notes": [NOTE_TEXT[n] for n in notes if n in NOTE_TEXT],
        "has_data": bool(day_rows or group_rows),
    }


# ---------------------------------------------------------------------------------------------------- products

def _product_columns() -> list[Column]:
    return [
        Column("sku", gettext_lazy("SKU code"), lambda r: r["sku"]),
        Column("spu", gettext_lazy("SPU code"), lambda r: r["spu"]),
        Column("title", gettext_lazy("Title"), lambda r: r["title"]),
        Column("abc", gettext_lazy("ABC class"), lambda r: r["abc"]),
        Column("price", gettext_lazy("List price"), lambda r: _yuan(r["price"]), numeric=True),
        Column("units", gettext_lazy("Units sold"), lambda r: r["units"], numeric=True),
        Column("gmv", gettext_lazy("GMV (paid amount)"), lambda r: _yuan(r["gmv"]), numeric=True),
        Column("share", gettext_lazy("Share"), lambda r: r["share"], numeric=True),
        Column("cumulative_share", gettext_lazy("Cumulative share"), lambda r: r["cumulative_share"], numeric=True),
        Column("on_hand", gettext_lazy("On hand"), lambda r: r["on_hand"], numeric=True),
        Column("sell_through", gettext_lazy("Sell-through"), lambda r: r["sell_through"], numeric=True),
        Column("new", pgettext_lazy("column", "New product"), lambda r: _("yes") if r["new"] else _("no")),
    ]


def _group_columns(key: str, label: Any) -> list[Column]:
    return [
        Column(key, label, lambda r: r[key]),
        Column("skus", gettext_lazy("SKUs"), lambda r: r["skus"], numeric=True),
        Column("skus_sold", gettext_lazy("SKUs sold"), lambda r: r["skus_sold"], numeric=True),
        Column("units", gettext_lazy("Units sold"), lambda r: r["units"], numeric=True),
        Column("gmv", gettext_lazy("GMV (paid amount)"), lambda r: _yuan(r["gmv"]), numeric=True),
        Column("share", gettext_lazy("Share"), lambda r: r["share"], numeric=True),
    ]


PRODUCT_TOTALS = ("skus_on_sale", "skus_sold", "sell_rate", "units", "gmv", "sell_through")  # the cards: "—"
RATE_KINDS = {"share": "rate", "cumulative_share": "rate", "sell_through": "rate", "gmv": "money", "price": "money"}


@page_requires(roles.VIEW_ANALYTICS)
def products_analysis(request: HttpRequest) -> HttpResponse:
    date_from, date_to = _period(request)
    errors: list[str] = []
    result = None
    try:
        result = product_selectors.products_analysis(shop=request.shop, date_from=date_from, date_to=date_to)
    except ShopOpsError as exc:
        errors = _errors(exc)
    skus = result["skus"] if result else []
    abc = [{"class": k, **v} for k, v in result["abc"].items()] if result else []
    bands = result["price_bands"] if result else []
    new_old = ([{**g, "group": str(_("New products") if g["group"] == "new" else _("Older products"))}
                for g in result["new_vs_old"]] if result else [])
    sku_cols = _product_columns()
    abc_cols = _group_columns("class", gettext_lazy("ABC class"))
    band_cols = _group_columns("band", gettext_lazy("Price band (¥)"))
    new_cols = _group_columns("group", gettext_lazy("Products"))
    exported = _export(request, {"skus": (str(_("SKUs")), sku_cols, skus), "abc": ("ABC", abc_cols, abc),
                                 "price_bands": (str(_("Price bands")), band_cols, bands),
                                 "new_vs_old": (str(_("New vs older products")), new_cols, new_old)}, errors)
    if exported:
        return exported
    abc_chart = _bar_chart([a["class"] for a in abc], [
        (str(_("GMV (¥)")), [_chart_yuan(a["gmv"]) for a in abc], "#d4380d", False),
        (str(_("SKUs")), [a["skus"] for a in abc], "#8c8c8c", True)],
        left={"title": str(_("GMV (¥)"))}, right={"title": str(_("SKUs")), **COUNT_AXIS}, height=280)
    band_chart = {"data": [{"x": [b["band"] for b in bands], "y": [_chart_yuan(b["gmv"]) for b in bands], "type": "bar",
                            "name": str(_("GMV (¥)")), "marker": {"color": "#1677ff"}}],
                  "layout": {"height": 260, "margin": {"l": 60, "r": 20, "t": 10, "b": 40},
                             "xaxis": {"title": str(_("Price band (¥)"))}, "yaxis": {"title": str(_("GMV (¥)"))}}}
    return render(request, "analytics/products_analysis.html", {
        "date_from": date_from, "date_to": date_to, "errors": errors,
        "totals": result["totals"] if result else dict.fromkeys(PRODUCT_TOTALS),
        "abc_chart": abc_chart, "band_chart": band_chart,
        "abc_table": _table(abc_cols, abc, kinds=RATE_KINDS), "band_table": _table(band_cols, bands, kinds=RATE_KINDS),
        "new_table": _table(new_cols, new_old, kinds=RATE_KINDS),
        "sku_table": _table(sku_cols, skus[:200], kinds=RATE_KINDS), "sku_count": len(skus),
        "notes": [NOTE_TEXT[n] for n in (result or {}).get("notes", []) if n in NOTE_TEXT],
        "new_since": (result or {}).get("new_since"),
        "unmatched_lines": _unmatched_lines(request, date_from, date_to),
    })


def _unmatched_lines(request: HttpRequest, date_from: str, date_to: str) -> int:
    """Order lines of the period not matched to a SKU: the page leaves them out and says so
    (docs/rules/sku-matching.md#unmatched-lines)."""
    try:
        start, end = dt.date.fromisoformat(str(date_from)), dt.date.fromisoformat(str(date_to))
    except ValueError:
        return 0
    return order_selectors.unmatched_line_count(shop=request.shop, start=start, end=end)


# ---------------------------------------------------------------------------------------------------- GMV explain

def _explain_columns(group: str | None, language: str) -> list[Column]:
    columns = []
    if group:
        columns.append(Column(group, GROUP_LABELS[group], lambda r, g=group: _label(g, r.get(g), language)))
    else:
        columns.append(Column("label", gettext_lazy("Scope"), lambda r: r["label"]))
    columns += [
        Column("before_gmv", gettext_lazy("GMV before"), lambda r: _yuan(r["before"]["gmv"]), numeric=True),
        Column("after_gmv", gettext_lazy("GMV after"), lambda r: _yuan(r["after"]["gmv"]), numeric=True),
        Column("change", gettext_lazy("GMV change"), lambda r: _yuan(r["change"]), numeric=True),
        Column("uv", gettext_lazy("Due to visitors (UV)"), lambda r: _yuan(r["parts"]["uv"]), numeric=True),
        Column("cvr", gettext_lazy("Due to conversion (CVR)"), lambda r: _yuan(r["parts"]["cvr"]), numeric=True),
        Column("aov", gettext_lazy("Due to order value (AOV)"), lambda r: _yuan(r["parts"]["aov"]), numeric=True),
        Column("before_uv", gettext_lazy("UV before"), lambda r: r["before"]["uv"], numeric=True),
        Column("after_uv", gettext_lazy("UV after"), lambda r: r["after"]["uv"], numeric=True),
        Column("before_cvr", gettext_lazy("CVR before"), lambda r: r["before"]["cvr"], numeric=True),
        Column("after_cvr", gettext_lazy("CVR after"), lambda r: r["after"]["cvr"], numeric=True),
        Column("before_aov", gettext_lazy("AOV before"), lambda r: _yuan(r["before"]["aov"]), numeric=True),
        Column("after_aov", gettext_lazy("AOV after"), lambda r: _yuan(r["after"]["aov"]), numeric=True),
    ]
    return columns


EXPLAIN_KINDS = {"before_gmv": "money", "after_gmv": "money", "change": "money", "uv": "money", "cvr": "money",
                 "aov": "money", "before_cvr": "rate", "after_cvr": "rate", "before_aov": "money",
                 "after_aov": "money", "before_uv": "count", "after_uv": "count"}


def _explain_shell(request: HttpRequest) -> dict:
    """The GMV explanation's filters (cheap: no metric computed)."""
    date_from, date_to = _period(request)
    group = request.GET.get("by", "channel") if request.GET.get("by") in ("channel", "source") else "channel"
    return {"date_from": date_from, "date_to": date_to, "group": group, "group_label": GROUP_LABELS[group],
            "vs": request.GET.get("vs", "").strip() or metric_selectors.previous_period(date_from, date_to)}


@page_requires(roles.VIEW_ANALYTICS)
def gmv_explain(request: HttpRequest) -> HttpResponse:
    """The GMV change against a comparison period (default: the same number of days just before). The numbers
    are the panel (``gmv_explain_panel``), loaded after the page."""
    return page_with_panel(request, "analytics/explain_gmv.html", _explain_shell(request), _explanation)


@page_requires(roles.VIEW_ANALYTICS)
def gmv_explain_panel(request: HttpRequest) -> HttpResponse:
    """The GMV explanation's numbers (cards, waterfall, tables) for its query string: a fragment."""
    return panel_fragment(request, "analytics/_explain_gmv_panel.html", _explain_shell(request), _explanation)


def _explanation(request: HttpRequest) -> dict | HttpResponse:
    language = translation.get_language() or "zh-hans"
    shell = _explain_shell(request)
    date_from, date_to, vs, group = shell["date_from"], shell["date_to"], shell["vs"], shell["group"]
    errors: list[str] = []
    result = None
    try:
        result = metric_selectors.gmv_explanation(shop=request.shop, date_from=date_from, date_to=date_to, vs=vs,
                                                  by=group)
    except ShopOpsError as exc:
        # no comparison given and no valid period to default it from: what is wrong is the period
        errors = _errors(exc, skip=() if vs else ("vs",))
    total_rows = [{**result["total"], "label": str(_("Whole shop"))}] if result else []
    groups = result["groups"] if result else []
    total_cols = _explain_columns(None, language)
    group_cols = _explain_columns(group, language)
    exported = _export(request, {"total": (str(_("Whole shop")), total_cols, total_rows),
                                 "groups": (str(GROUP_LABELS[group]), group_cols, groups)}, errors)
    if exported:
        return exported
    chart = {}
    if result:
        t = result["total"]
        rise, fall = rise_fall_colors(user_color_rule(user=request.user))  # the user's colour rule of changes
        chart = {"data": [{
            "type": "waterfall", "orientation": "v",
            "measure": ["absolute", "relative", "relative", "relative", "total"],
            "x": [str(_("GMV before")), str(_("Visitors (UV)")), str(_("Conversion (CVR)")),
                  str(_("Order value (AOV)")), str(_("GMV after"))],
            "y": [_chart_yuan(t["before"]["gmv"]), _chart_yuan(t["parts"]["uv"]), _chart_yuan(t["parts"]["cvr"]),
                  _chart_yuan(t["parts"]["aov"]), _chart_yuan(t["after"]["gmv"])],
            "connector": {"line": {"color": "#8c8c8c"}},
            "increasing": {"marker": {"color": rise}}, "decreasing": {"marker": {"color": fall}},
        }], "layout": {"height": 320, "margin": {"l": 70, "r": 20, "t": 10, "b": 40},
                       "yaxis": {"title": str(_("GMV (¥)"))}}}
    return {
        "date_from": date_from, "date_to": date_to, "vs": vs, "group": group, "errors": errors, "result": result,
        "chart": chart, "total_table": _table(total_cols, total_rows, kinds=EXPLAIN_KINDS),
        "group_table": _table(group_cols, groups, kinds=EXPLAIN_KINDS), "group_label": GROUP_LABELS[group],
        "notes": [NOTE_TEXT[n] for n in (result or {}).get("notes", []) if n in NOTE_TEXT],
        "events": _timeline(request, date_from, date_to, vs),
    }


def _timeline(request: HttpRequest, date_from: str, date_to: str, vs: str) -> list:
    """The events other apps report (a rival's price cut, a new promotion…) from the comparison period's
    start to the period's end: what happened around the change (docs/architecture.md#timeline-sources)."""
    try:
        start, end = dt.date.fromisoformat(str(date_from)), dt.date.fromisoformat(str(date_to))
        vs_start = dt.date.fromisoformat(str(vs).split("..")[0]) if vs else start
    except ValueError:
        return []
    return timeline_selectors.timeline_events(shop=request.shop, date_from=min(start, vs_start), date_to=end)


urlpatterns: list = [
    path("analytics/traffic/", traffic_sources, name="analytics_traffic"),
    path("analytics/products/", products_analysis, name="analytics_products"),
    path("analytics/gmv-explain/", gmv_explain, name="analytics_gmv_explain"),
    path("analytics/traffic/panel/", traffic_panel, name="analytics_traffic_panel"),
    path("analytics/gmv-explain/panel/", gmv_explain_panel, name="analytics_gmv_explain_panel"),
]
