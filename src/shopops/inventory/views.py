"""Inventory pages: stock overview, SKU page, replenishment, purchase orders, channel sync, stock count."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shopops.channels.labels import channel_label
from shopops.core import roles
from shopops.core.clock import today
from shopops.core.errors import ShopOpsError
from shopops.core.i18n import say
from shopops.inventory import selectors, services
from shopops.inventory.adapters import FileAdapter
from shopops.inventory.forecast import DEMAND_CLASS_NAMES, MODEL_NAMES
from shopops.inventory.models import PurchaseOrder, StockMove
from shopops.orders import selectors as order_selectors
from shopops.ui.listing import Filter, ListPage, render_list
from shopops.ui.params import parse_business_date
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column


def _plan_date(request: HttpRequest) -> dt.date:
    return parse_business_date(request.GET.get("date"), default=today(request.shop.timezone))


@page_requires(roles.VIEW_STOCK)
def stock_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs, active = selectors.stock_overview(shop=request.shop, q=g.get("q", ""), location=g.get("location", ""),
                                          state=g.get("state", ""), sort=g.get("sort", ""))
    link = lambda r: reverse("web:inventory_sku", args=[r["sku__sku_code"]])  # noqa: E731
    page = ListPage(
        title=gettext_lazy("Stock"),
        columns=[
            Column("sku", gettext_lazy("SKU code"), lambda r: r["sku__sku_code"], sort="sku", link=link),
            Column("title", gettext_lazy("Product"), lambda r: r["sku__product__title"]),
            Column("on_hand", gettext_lazy("On hand"), lambda r: r["t_on_hand"], sort="on_hand", numeric=True),
            Column("reserved", gettext_lazy("Reserved"), lambda r: r["t_reserved"], sort="reserved", numeric=True),
            Column("available", gettext_lazy("Available"), lambda r: r["t_available"], sort="available", numeric=True),
            Column("in_transit", gettext_lazy("In transit"), lambda r: r["t_in_transit"], sort="in_transit",
                   numeric=True),
        ],
        filters=[
            Filter("location", gettext_lazy("Location"),
                   [(loc.code, loc.name) for loc in selectors.locations(shop=request.shop)]),
            Filter("state", gettext_lazy("Stock state"), [("in", str(_("In stock"))), ("out", str(_("Out of stock"))),
                                                          ("reserved", str(_("With reservations")))]),
        ],
        export_name="stock",
        search_placeholder=gettext_lazy("SKU code, product title"),
        actions=[{"url": reverse("web:inventory_replenishment"), "label": _("Replenishment")},
                 {"url": reverse("web:inventory_po_list"), "label": _("Purchase orders")},
                 {"url": reverse("web:inventory_sync"), "label": _("Channel sync")},
                 {"url": reverse("web:inventory_stock_count"), "label": _("Stock count")}],
    )
    return render_list(request, page, qs, active)


# ledger references the app or the demo writes itself (a key, not a document number people know): prefix → what
# the entry is; any other reference is the user's own document number and is shown as it is
_KEYED_REFS = (("demo-open:", gettext_lazy("Opening stock")), ("demo-refill:", gettext_lazy("Restock")),
               ("demo-sale:", None), ("reservation:", None), ("count-", None), ("po:", None), ("stock-count:", None))


def move_reference(move: StockMove) -> dict[str, str]:
    """A ledger entry's 单据号 as people read it: the purchase order (linked), the stock-count import (linked),
    or what the entry is and its day (销售出库 2026-12-04) instead of an internal key."""
    day = move.at.date().isoformat() if move.at else ""
    if move.po_line_id is not None:
        order = move.po_line.order
        return {"text": _("Purchase order %(number)s") % {"number": order.number},
                "url": reverse("web:inventory_po_detail", args=[order.pk])}
    ref = move.ref
    job = ref.removeprefix("stock-count:")
    if ref.startswith("stock-count:") and job.isdigit():
        return {"text": _("Stock count import #%(job)s") % {"job": job},
                "url": reverse("web:import_detail", args=[int(job)])}
    for prefix, label in _KEYED_REFS:
        if ref.startswith(prefix):
            return {"text": f"{label or move.get_type_display()} {day}", "url": ""}
    return {"text": ref, "url": ""}


@page_requires(roles.VIEW_STOCK)
def sku_page(request: HttpRequest, code: str) -> HttpResponse:
    sku = selectors.sku_get(shop=request.shop, sku_code=code)
    if sku is None:
        raise Http404
    day = _plan_date(request)
    forecast = selectors.sku_forecast(shop=request.shop, sku_id=sku.pk, end=day)
    chart = None
    if forecast:
        chart = {**forecast, "labels": {"history": _("Units sold"), "forecast": _("Forecast"),
                                        "interval": _("%(level)s%% interval") % {"level": forecast["level"]}}}
    return render(request, "inventory/sku.html", {
        "sku": sku, "balances": selectors.balances_for_sku(shop=request.shop, sku_id=sku.pk),
        "moves": [(m, move_reference(m)) for m in selectors.ledger(shop=request.shop, sku_id=sku.pk, limit=100)],
        "held": [(r, channel_label(r.channel) if r.channel else "—")
                 for r in selectors.reservations_held(shop=request.shop, sku_id=sku.pk)[:50]],
        "chart": chart, "forecast": forecast, "day": day,
        "model_name": say(MODEL_NAMES.get(forecast["model"], forecast["model"])) if forecast else "",
        "class_name": say(DEMAND_CLASS_NAMES.get(forecast["demand_class"], forecast["demand_class"]))
        if forecast else "",
    })


def _error_text(exc: ShopOpsError) -> str:
    return " ".join([exc.detail, *(e.message for e in exc.errors)])


def _replenishment_rows(request: HttpRequest, day: dt.date, show_all: bool) -> dict:
    """The plan's table (the slow part: a forecast per SKU) and whether it may be approved."""
    rows = selectors.replenishment_plan(shop=request.shop, end=day, lang=request.LANGUAGE_CODE or "zh-hans")
    if not show_all:
        rows = [r for r in rows if r["suggested_qty"] > 0]
    return {"rows": rows, "day": day, "can_approve": request.user.has_perm(roles.MANAGE_PURCHASING)}


def _replenishment_page(request: HttpRequest, day: dt.date, show_all: bool, status: int = 200,
                        inline: bool = True) -> HttpResponse:
    """The page; its table inline, or (``inline=False``) loaded after the page by htmx (ui/_lazy.html)."""
    history = (day - dt.timedelta(days=selectors.HISTORY_DAYS - 1), day)  # the demand history the plan reads
    context = {"day": day, "show_all": show_all, "inline": inline,
               "unmatched_lines": order_selectors.unmatched_line_count(shop=request.shop, start=history[0],
                                                                       end=history[1])}
    if inline:
        context |= _replenishment_rows(request, day, show_all)
    return render(request, "inventory/replenishment.html", context, status=status)


@page_requires(roles.VIEW_STOCK)
def replenishment(request: HttpRequest) -> HttpResponse:
    """Suggestions to reorder: the page at once, its table (``replenishment_panel``) after it; ``?inline=1``
    draws the table in the page (a browser without JavaScript)."""
    return _replenishment_page(request, _plan_date(request), request.GET.get("all") == "1",
                               inline=request.GET.get("inline") == "1")


@page_requires(roles.VIEW_STOCK)
def replenishment_panel(request: HttpRequest) -> HttpResponse:
    """The replenishment table (with its approve form) for the page's query string: a fragment."""
    return render(request, "inventory/_replenishment_table.html",
                  _replenishment_rows(request, _plan_date(request), request.GET.get("all") == "1"))


@page_requires(roles.MANAGE_PURCHASING)
@require_POST
def replenishment_approve(request: HttpRequest) -> HttpResponse:
    """Approve suggestions → draft purchase orders (one per supplier), then the PO list. Nothing chosen or
    a bad request: the replenishment page again with the message (422; 409 on a conflict), nothing written."""
    codes = [c.strip() for c in request.POST.getlist("sku") if c.strip()]
    day = parse_business_date(request.POST.get("date"), default=today(request.shop.timezone))
    if not codes:
        messages.error(request, _("Choose at least one SKU."))
        return _replenishment_page(request, day, False, status=422)
    try:
        orders, skipped = services.replenishment_approve(shop=request.shop, sku_codes=codes, end=day)
    except ShopOpsError as exc:
        messages.error(request, _error_text(exc))
        return _replenishment_page(request, day, False, status=exc.http_status)
    if orders:
        messages.success(request, _("Draft purchase orders created: %(numbers)s")
                         % {"numbers": ", ".join(o.number for o in orders)})
    if skipped:
        messages.warning(request, _("Skipped (no supplier or nothing to order): %(skus)s")
                         % {"skus": ", ".join(skipped)})
    return redirect("web:inventory_po_list")


@page_requires(roles.VIEW_STOCK)
def po_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs, active = selectors.purchase_orders(shop=request.shop, status=g.get("status", ""),
                                           supplier=g.get("supplier", ""), q=g.get("q", ""), sort=g.get("sort", ""))
    link = lambda o: reverse("web:inventory_po_detail", args=[o.pk])  # noqa: E731
    page = ListPage(
        title=gettext_lazy("Purchase orders"),
        columns=[
            Column("number", gettext_lazy("PO number"), lambda o: o.number, sort="number", link=link),
            Column("supplier", gettext_lazy("Supplier"), lambda o: o.supplier.name),
            Column("location", gettext_lazy("Location"), lambda o: o.location.name),
            Column("status", gettext_lazy("Status"), lambda o: o.get_status_display(), sort="status"),
            Column("units", gettext_lazy("Units"), lambda o: o.units, numeric=True),
            Column("received", gettext_lazy("Received"), lambda o: o.received, numeric=True),
            Column("expected", gettext_lazy("Expected"), lambda o: o.expected_date),
            Column("created", gettext_lazy("Created"), lambda o: o.created_at, sort="created"),
        ],
        filters=[
            Filter("status", gettext_lazy("Status"), [(v, str(label)) for v, label in PurchaseOrder.Status.choices]),
            Filter("supplier", gettext_lazy("Supplier"),
                   [(s.code, s.name) for s in selectors.suppliers(shop=request.shop)]),
        ],
        export_name="purchase-orders",
        search_placeholder=gettext_lazy("PO number"),
    )
    return render_list(request, page, qs, active)


def _po_page(request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
    order = selectors.purchase_order(shop=request.shop, pk=pk)
    if order is None:
        raise Http404
    lines = [{"line": li, "open": li.qty_ordered - li.qty_received}
             for li in selectors.purchase_order_lines(order=order)]
    return render(request, "inventory/po_detail.html", {
        "order": order, "lines": lines, "can_manage": request.user.has_perm(roles.MANAGE_PURCHASING)},
        status=status)


@page_requires(roles.VIEW_STOCK)
def po_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _po_page(request, pk)


@page_requires(roles.MANAGE_PURCHASING)
@require_POST
def po_action(request: HttpRequest, pk: int) -> HttpResponse:
    """place / cancel / receive (partly: qty_<line id> fields; fully: none given) a purchase order. Success
    redirects to the PO; bad input answers the PO page with the message: 422 (bad quantities), 409 (wrong
    status), 400 (unknown action), 404 (not this shop's PO); nothing is written then."""
    action = request.POST.get("action")
    if selectors.purchase_order(shop=request.shop, pk=pk) is None:
        raise Http404
    try:
        if action == "place":
            services.po_place(shop=request.shop, po_id=pk)
        elif action == "cancel":
            services.po_cancel(shop=request.shop, po_id=pk)
        elif action == "receive":
            order = selectors.purchase_order(shop=request.shop, pk=pk)
            if order is None:
                raise Http404
            # quantity fields sent: receive what they say (all empty or 0 is "nothing to receive", 422);
            # none sent at all: receive everything still open
            wanted, sent = {}, False
            for li in selectors.purchase_order_lines(order=order):
                value = request.POST.get(f"qty_{li.pk}")
                sent |= value is not None
                value = (value or "").strip()
                if value and value != "0":
                    wanted[li.sku.sku_code] = value
            services.po_receive(shop=request.shop, po_id=pk, ref=request.POST.get("ref", ""),
                                lines=wanted if sent else None, actor=request.user)
        else:
            messages.error(request, _("Unknown action."))
            return _po_page(request, pk, status=400)
    except ShopOpsError as exc:
        messages.error(request, _error_text(exc))
        return _po_page(request, pk, status=exc.http_status)
    messages.success(request, _("Purchase order updated."))
    return redirect("web:inventory_po_detail", pk=pk)


@page_requires(roles.VIEW_STOCK)
def sync_page(request: HttpRequest) -> HttpResponse:
    rows = selectors.sync_plan(shop=request.shop)
    changed = [r for r in rows if r["change"] != 0]
    channels: dict[str, dict] = {}
    for r in rows:
        r["channel_name"] = channel_label(r["channel"])
        c = channels.setdefault(r["channel"], {"channel": r["channel"], "channel_name": r["channel_name"], "qty": 0,
                                               "change": 0, "changed": 0})
        c["qty"] += r["qty"]
        c["change"] += r["change"]
        c["changed"] += r["change"] != 0
    return render(request, "inventory/sync.html", {
        "channels": list(channels.values()), "changed": changed[:500], "n_changed": len(changed),
        "can_sync": request.user.has_perm(roles.CHANGE_STOCK)})


@page_requires(roles.CHANGE_STOCK)
@require_POST
def sync_run(request: HttpRequest) -> HttpResponse:
    try:
        result = services.stock_sync(shop=request.shop,
                                     adapter=FileAdapter(Path(settings.EXPORTS_DIR) / "stock-sync"))
    except ShopOpsError as exc:
        messages.error(request, _error_text(exc))
        return redirect("web:inventory_sync")
    messages.success(request, _("Synced %(n)s SKU × channel quantities; %(stale)s refused as stale; %(files)s files "
                                "written.") % {"n": len(result["rows"]), "stale": result["stale"],
                                               "files": len(result["files"])})
    return redirect("web:inventory_sync")




COUNT_FORM_LINES = 10  # SKUs the count form takes at once (a whole warehouse comes as a file)


def _count_lines(request: HttpRequest) -> list[services.CountLine]:
    """The form's filled lines; a quantity that is not a whole number reaches the service as −1, which refuses
    it naming the line (one home for the rule)."""
    lines = []
    for i in range(COUNT_FORM_LINES):
        code = request.POST.get(f"sku_{i}", "").strip()
        if not code:
            continue
        raw = request.POST.get(f"counted_{i}", "").strip()
        lines.append(services.CountLine(sku_code=code, location=request.POST.get(f"location_{i}", ""),
                                        counted=int(raw) if raw.isdigit() else -1, row=i + 1))
    return lines


@page_requires(roles.CHANGE_STOCK)
def stock_count(request: HttpRequest) -> HttpResponse:
    """The 盘点 page: upload a count file (the import pipeline) or count a few SKUs here, see the differences,
    then apply them with a reason (one ledger adjustment per difference)."""
    shop = request.shop
    context: dict[str, object] = {"locations": selectors.locations(shop=shop), "form": request.POST,
                                  "slots": range(COUNT_FORM_LINES)}
    status = 200
    if request.method == "POST":
        lines = _count_lines(request)
        try:
            if request.POST.get("action") == "apply":
                result = services.stock_count_apply(shop=shop, counts=lines, reason=request.POST.get("reason", ""),
                                                    ref=request.POST.get("ref", ""), actor=request.user)
                messages.success(request, _("Stock count applied: %(n)s adjustments posted to the ledger.")
                                 % {"n": result.posted})
                return redirect("web:inventory_stock_count")
            context["preview"] = services.stock_count_preview(shop=shop, counts=lines)
            context["ref"] = request.POST.get("ref") or f"count-{uuid.uuid4().hex[:20]}"
        except ShopOpsError as exc:
            context["detail"], context["errors"], status = exc.detail, exc.errors, exc.http_status
    return render(request, "inventory/stock_count.html", context, status=status)
