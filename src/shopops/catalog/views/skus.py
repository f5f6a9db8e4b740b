"""The SKU list, and one change on many of its rows (price, cost, on sale / off shelf)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from shopops.catalog import selectors, services
from shopops.catalog.domain import sku_fields_denied
from shopops.catalog.views.common import error_text, safe_next
from shopops.core import roles
from shopops.core.errors import ShopOpsError
from shopops.core.i18n import say
from shopops.ui.listing import Filter, ListPage, render_list
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column


def _columns(show_cost: bool) -> list[Column]:
    columns = [
        Column("sku_code", gettext_lazy("SKU code"), lambda s: s.sku_code, sort="sku_code",
               link=lambda s: reverse("web:product_detail", args=[s.product_id])),
        Column("product", gettext_lazy("Product"), lambda s: s.product.title, sort="product"),
        Column("attributes", gettext_lazy("Attributes"),
               lambda s: "; ".join(f"{k}: {v}" for k, v in (s.attributes or {}).items())),
        Column("category", gettext_lazy("Category"), lambda s: s.product.category.name),
        Column("price", gettext_lazy("Price"), lambda s: s.price_fen, money=True, sort="price"),
    ]
    if show_cost:
        columns.append(Column("cost", gettext_lazy("Cost"), lambda s: s.cost_fen, money=True, sort="cost"))
    columns.append(Column("active", gettext_lazy("Status"),
                          lambda s: _("On sale") if s.active else _("Off shelf"),
                          sort="active"))
    return columns


@page_requires(roles.VIEW_PRODUCTS)
def sku_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs, active_sort = selectors.sku_list(shop=request.shop, q=g.get("q", ""), category=g.get("category", ""),
                                         active=g.get("active", ""), sort=g.get("sort", ""))
    user = request.user
    can_bulk = user.has_perm(roles.CHANGE_PRODUCTS)
    page = ListPage(
        title=gettext_lazy("SKUs"),
        columns=_columns(user.has_perm(roles.VIEW_COSTS)),
        filters=[
            Filter("category", gettext_lazy("Category"), selectors.category_options(shop=request.shop)),
            Filter("active", gettext_lazy("Status"),
                   [("1", _("On sale")), ("0", _("Off shelf"))]),
        ],
        export_name="skus",
        search_placeholder=gettext_lazy("SKU/SPU code, title, barcode"),
        select=(lambda s: s.sku_code) if can_bulk else None,
        select_name="sku_codes",
        bulk_template="catalog/_sku_bulk_form.html" if can_bulk else "",
        bulk_context={"price": user.has_perm(roles.CHANGE_PRICES), "cost": user.has_perm(roles.VIEW_COSTS),
                      "back": request.get_full_path()},
    )
    return render_list(request, page, qs, active_sort)


@page_requires(roles.CHANGE_PRODUCTS)
@require_POST
def sku_bulk(request: HttpRequest) -> HttpResponse:
    """Set what the form gives (an empty field: unchanged) on every selected SKU, all or nothing."""
    p = request.POST
    price = p.get("price", "").strip() or None
    cost = p.get("cost", "").strip() or None
    active = {"1": True, "0": False}.get(p.get("active", ""))
    given = {name for name, value in (("price", price), ("cost", cost), ("active", active)) if value is not None}
    denied = sku_fields_denied(given, request.user.has_perm)
    if denied is not None:
        raise PermissionDenied(say(denied))
    try:
        result = services.skus_bulk_update(shop=request.shop, sku_codes=p.getlist("sku_codes"), price=price,
                                           cost=cost, active=active, actor=request.user)
    except ShopOpsError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, ngettext("%(changed)s of %(n)s selected SKU changed.",
                                           "%(changed)s of %(n)s selected SKUs changed.", len(result.skus))
                         % {"changed": result.changed, "n": len(result.skus)})
    return redirect(safe_next(request, p.get("next")) or "web:sku_list")
