"""The keywords page (关键词: search terms and their roots, sortable, xlsx) and the suggestion fragment (one
listing's title suggestion with its coverage before and after and its gaps, fetched by the listing page with
htmx). Thin: the selectors validate and compute (listings/selectors/keywords.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shopops.channels.labels import channel_label
from shopops.channels.selectors import channel_options
from shopops.core import roles
from shopops.core.errors import InvalidInput, NotFound
from shopops.listings.mining import Mined, RootRow, TermRow
from shopops.listings.selectors.keywords import keyword_report, listing_suggestion, suggestion_period
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column, xlsx_response

PAGE_ROWS = 200  # rows shown per table; the xlsx has them all (up to the export limit)
Row = TermRow | RootRow
SORTS: dict[str, Callable[[Row], Any]] = {
    "visitors": lambda r: r.current.visitors, "clicks": lambda r: r.current.clicks,
    "orders": lambda r: r.current.orders, "gmv": lambda r: r.current.sales_fen,
    "conversion": lambda r: r.current.conversion if r.current.conversion is not None else -1,
    "trend": lambda r: r.trend if r.trend is not None else -10**9,
}


def _name(row: Row) -> str:
    return row.term if isinstance(row, TermRow) else row.root


def sorted_rows(rows: list[Any], sort: str) -> list[Any]:
    """``sort`` is a column key, ``-key`` for descending; "" or an unknown key keeps the best-first order."""
    key = sort.lstrip("-")
    if key == "name":
        return sorted(rows, key=_name, reverse=sort.startswith("-"))
    if key not in SORTS:
        return rows
    return sorted(rows, key=SORTS[key], reverse=sort.startswith("-"))


def columns(kind: str) -> list[Column]:
    """The table's columns (the page and the xlsx share them)."""
    first = (Column("name", gettext_lazy("Search term"), _name, sort="name") if kind == "terms"
             else Column("name", gettext_lazy("Root"), _name, sort="name"))
    extra = ([Column("roots", gettext_lazy("Roots"), lambda r: " / ".join(r.roots))] if kind == "terms"
             else [Column("terms", gettext_lazy("Terms"), lambda r: r.terms, numeric=True)])
    return [first, *extra,
            Column("visitors", gettext_lazy("Visitors"), lambda r: r.current.visitors, sort="visitors", numeric=True),
            Column("clicks", gettext_lazy("Clicks"), lambda r: r.current.clicks, sort="clicks", numeric=True),
            Column("orders", gettext_lazy("Orders"), lambda r: r.current.orders, sort="orders", numeric=True),
            Column("gmv", gettext_lazy("GMV"), lambda r: r.current.sales_fen, sort="gmv", money=True),
            Column("conversion", gettext_lazy("Conversion"), lambda r: r.current.conversion, sort="conversion",
                   numeric=True),
            Column("trend", gettext_lazy("Trend vs previous period"), lambda r: r.trend, sort="trend",
                   numeric=True)]


def _export(mined: Mined, table: str, sort: str) -> HttpResponse:
    rows: list[Any] = mined.roots if table == "roots" else mined.terms
    title = _("Roots") if table == "roots" else _("Search terms")
    return xlsx_response(filename=f"keywords-{table}.xlsx", sheet=title, columns=columns(table),
                         rows=sorted_rows(rows, sort))


@page_requires(roles.VIEW_ANALYTICS)
def keywords_page(request: HttpRequest) -> HttpResponse:
    """Search terms and roots over a period (default: the 30 days up to the shop's last search-term day)."""
    default = suggestion_period(request.shop, "")
    date_from = request.GET.get("from") or default.start.isoformat()
    date_to = request.GET.get("to") or default.end.isoformat()
    channel = request.GET.get("channel", "")
    sort = request.GET.get("sort", "")
    errors: list[str] = []
    report = None
    try:
        period, mined = keyword_report(shop=request.shop, date_from=date_from, date_to=date_to, channel=channel)
        report = {"period": period, "mined": mined}
    except InvalidInput as exc:
        errors = [e.message for e in exc.errors] or [exc.detail]
    if report and request.GET.get("export") == "xlsx":
        return _export(report["mined"], request.GET.get("table", "terms"), sort)
    base = {k: v for k, v in (("from", date_from), ("to", date_to), ("channel", channel)) if v}
    context: dict[str, Any] = {
        "date_from": date_from, "date_to": date_to, "channel": channel, "channels": channel_options(),
        "errors": errors, "report": report, "sort": sort, "query": urlencode({**base, **({"sort": sort} if sort else {})}),
        "sort_links": {key: urlencode({**base, "sort": "-" + key if sort != "-" + key else key})
                       for key in ("name", *SORTS)},
    }
    if report:
        mined = report["mined"]
        context.update({
            "scope": channel_label(report["period"].channel) if report["period"].channel else _("all channels"),
            "terms": sorted_rows(mined.terms, sort)[:PAGE_ROWS], "roots": sorted_rows(mined.roots, sort)[:PAGE_ROWS],
            "term_count": len(mined.terms), "root_count": len(mined.roots), "total": mined.total,
            "page_rows": PAGE_ROWS})
    return render(request, "listings/keywords.html", context)


@page_requires(roles.VIEW_ANALYTICS)
def suggestion_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """One listing's title suggestion (an htmx fragment); 404 for another shop's listing."""
    try:
        result = listing_suggestion(shop=request.shop, listing_id=pk, date_from=request.GET.get("from"),
                                    date_to=request.GET.get("to"))
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except InvalidInput as exc:
        return render(request, "listings/_suggestion.html", {"errors": [e.message for e in exc.errors]})
    return render(request, "listings/_suggestion.html", {"result": result, "s": result.suggestion,
                                                         "channel_name": channel_label(result.listing.channel)})
