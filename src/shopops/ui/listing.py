"""One list-page mechanism for every list: search, filters, sort, paging, xlsx export, htmx partials."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise

from shopops.ui.tables import Column, cell_value, xlsx_response

PAGE_SIZE = 50


@dataclass
class Filter:
    name: str
    label: Promise | str
    options: list[tuple[str, str]] = field(default_factory=list)  # empty → free text / date input
    kind: str = "select"  # select | date | number


@dataclass
class ListPage:
    title: Promise | str
    columns: list[Column]
    filters: list[Filter]
    export_name: str
    search_placeholder: Promise | str = ""
    actions: list[dict[str, str]] = field(default_factory=list)
    # Rows that can be selected for one action on many (a bulk change): each row gets a checkbox named
    # ``select_name`` with ``select(row)`` as its value, in the form ``bulk_template`` renders (id "bulk-form").
    select: Callable[[Any], str] | None = None
    select_name: str = "selected"
    bulk_template: str = ""
    bulk_context: dict[str, Any] = field(default_factory=dict)
    # What an empty list says when no search or filter is applied (the shop has none yet), with an optional
    # link to where they come from, e.g. {"url": ".../imports/new/?target=catalog", "label": "导入商品"}.
    empty_text: Promise | str = ""
    empty_link: dict[str, str] | None = None


def render_list(request: HttpRequest, page: ListPage, qs: QuerySet, active_sort: str) -> HttpResponse:
    # a filter the view could not understand (and said so: views.common.tell_bad_query) shows the page, not a file
    if request.GET.get("export") == "xlsx" and not getattr(request, "shopops_bad_query", False):
        return xlsx_response(
            filename=f"{page.export_name}.xlsx", sheet=str(page.title), columns=page.columns, rows=qs.iterator(2000)
        )
    paginator = Paginator(qs, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k not in ("page", "export") and v}
    rows = [
        [
            {"value": cell_value(c, obj), "link": c.link(obj) if c.link else None, "money": c.money,
             "numeric": c.numeric or c.money}
            for c in page.columns
        ]
        for obj in page_obj.object_list
    ]
    select = page.select
    if select is not None:  # page_obj.object_list is evaluated above: this reads its cached rows
        rows = [[{"select": select(obj)}, *row] for obj, row in zip(page_obj.object_list, rows, strict=True)]
    headers: list[dict[str, Any]] = [{"label": "", "select": True}] if select is not None else []
    for c in page.columns:
        header: dict[str, Any] = {"label": c.label, "numeric": c.numeric or c.money}
        if c.sort:
            next_sort = f"-{c.sort}" if active_sort == c.sort else c.sort
            header["url"] = "?" + urlencode({**params, "sort": next_sort})
            header["state"] = "asc" if active_sort == c.sort else ("desc" if active_sort == f"-{c.sort}" else "")
        headers.append(header)
    filters = [
        {"name": f.name, "label": f.label, "options": f.options, "kind": f.kind, "value": request.GET.get(f.name, "")}
        for f in page.filters
    ]
    context = {
        "page": page,
        "headers": headers,
        "rows": rows,
        "page_obj": page_obj,
        "paginator": paginator,
        "filters": filters,
        "q": request.GET.get("q", ""),
        "sort": active_sort,
        "query_without_page": urlencode(params),
        "filtered": any(k != "sort" for k in params),
        "export_url": "?" + urlencode({**params, "export": "xlsx"}),
    }
    # htmx swaps in the table only; a history restore (cache miss on back/forward) needs the whole page.
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    response = render(request, "ui/_list_table.html" if partial else "ui/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
