"""Product list, detail, creation and editing one SKU."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shopops.catalog import selectors as catalog_selectors
from shopops.catalog import services as catalog_services
from shopops.catalog.domain import ProductInput, SkuInput, margin_rate
from shopops.catalog.models import Product
from shopops.channels.labels import channel_label
from shopops.core import roles
from shopops.core.domain import CODE_HTML_PATTERN, MAX_CODE
from shopops.core.errors import ShopOpsError
from shopops.core.money import format_fen
from shopops.ui.listing import Filter, ListPage, render_list
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column


def _product_columns(show_cost: bool) -> list[Column]:
    return [
        Column("spu_code", gettext_lazy("SPU code"), lambda p: p.spu_code, sort="spu_code",
               link=lambda p: reverse("web:product_detail", args=[p.pk])),
        Column("title", gettext_lazy("Title"), lambda p: p.title, sort="title",
               link=lambda p: reverse("web:product_detail", args=[p.pk])),
        Column("category", gettext_lazy("Category"), lambda p: p.category.name, sort="category"),
        Column("skus", gettext_lazy("SKUs"), lambda p: p.sku_count, sort="skus", numeric=True),
        Column("min_price", gettext_lazy("Lowest price"), lambda p: p.min_price_fen, money=True, sort="price"),
        Column("max_price", gettext_lazy("Highest price"), lambda p: p.max_price_fen, money=True),
        Column("status", gettext_lazy("Status"), lambda p: p.get_status_display()),
        Column("launched", gettext_lazy("Launched"), lambda p: p.launched_on, sort="launched"),
    ]


@page_requires(roles.VIEW_PRODUCTS)
def product_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs, active_sort = catalog_selectors.product_list(
        shop=request.shop, q=g.get("q", ""), category=g.get("category", ""), status=g.get("status", ""),
        sort=g.get("sort", ""),
    )
    page = ListPage(
        title=gettext_lazy("Products"),
        columns=_product_columns(request.user.has_perm(roles.VIEW_COSTS)),
        filters=[
            Filter("category", gettext_lazy("Category"), catalog_selectors.category_options(shop=request.shop)),
            Filter("status", gettext_lazy("Status"), [(v, str(label)) for v, label in Product.Status.choices]),
        ],
        export_name="products",
        search_placeholder=gettext_lazy("SPU/SKU code, title"),
        actions=[{"url": reverse("web:category_list"), "label": _("Categories")},
                 {"url": reverse("web:sku_list"), "label": _("SKUs")},
                 *([{"url": reverse("web:product_create"), "label": _("New product")}]
                   if request.user.has_perm(roles.ADD_PRODUCTS) else [])],
        empty_text=gettext_lazy("No products yet."),
        empty_link={"url": reverse("web:import_new") + "?target=catalog", "label": _("Import the catalog")}
        if request.user.has_perm(roles.RUN_IMPORTS) else None,
    )
    return render_list(request, page, qs, active_sort)


@page_requires(roles.VIEW_PRODUCTS)
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = catalog_selectors.product_detail(shop=request.shop, pk=pk)
    if product is None:
        raise Http404
    show_cost = request.user.has_perm(roles.VIEW_COSTS)
    skus = [
        {"sku": s, "price": format_fen(s.price_fen), "cost": format_fen(s.cost_fen) if show_cost else None,
         "margin": margin_rate(s.price_fen, s.cost_fen) if show_cost else None}
        for s in product.skus.all()
    ]
    listings = [{"listing": li, "channel": channel_label(li.channel_account.channel)}
                for li in product.listings.all()]
    return render(request, "catalog/product_detail.html", {
        "product": product, "skus": skus, "listings": listings, "show_cost": show_cost,
        "category_path": catalog_selectors.category_path_of(shop=request.shop, code=product.category.code),
        "can_edit_prices": request.user.has_perm(roles.CHANGE_PRICES),
    })


@page_requires(roles.CHANGE_PRICES)
@require_POST
def sku_edit(request: HttpRequest, pk: int, sku_pk: int) -> HttpResponse:
    sku = catalog_selectors.sku_of_product(shop=request.shop, product_id=pk, sku_id=sku_pk)
    if sku is None:
        raise Http404
    try:
        catalog_services.sku_update(
            sku=sku, price=request.POST.get("price"), cost=request.POST.get("cost"),
            active=request.POST.get("active") == "on", actor=request.user,
        )
    except ShopOpsError as exc:
        messages.error(request, f"{sku.sku_code}: {exc.detail} " + " ".join(e.message for e in exc.errors))
    else:
        messages.success(request, _("SKU %s saved.") % sku.sku_code)
    return redirect("web:product_detail", pk=pk)


@page_requires(roles.ADD_PRODUCTS)
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest) -> HttpResponse:
    categories = catalog_selectors.category_options(shop=request.shop)
    form = {"spu_code": "", "title": "", "category": "", "brand": "", "skus": [{}] * 3}
    errors: list = []
    detail = ""
    if request.method == "POST":
        p = request.POST
        codes, prices, costs, attrs = (p.getlist(k) for k in ("sku_code", "price", "cost", "attributes"))
        sku_rows = []
        for index, code in enumerate(codes):
            price = prices[index] if index < len(prices) else ""
            cost = costs[index] if index < len(costs) else ""
            attr_text = attrs[index] if index < len(attrs) else ""
            if not (code.strip() or price.strip() or cost.strip()):
                continue
            attributes = {}
            for part in attr_text.replace("；", ";").split(";"):
                if ":" in part.replace("：", ":"):
                    key, _sep, value = part.replace("：", ":").partition(":")
                    attributes[key.strip()] = value.strip()
            sku_rows.append({"sku_code": code.strip(), "price": price.strip(), "cost": cost.strip(),
                             "attributes": attr_text, "parsed": attributes})
        form = {k: p.get(k, "") for k in ("spu_code", "title", "category", "brand")}
        form["skus"] = sku_rows + [{}] * max(0, 3 - len(sku_rows))
        data = ProductInput(
            spu_code=form["spu_code"].strip(), title=form["title"], category=form["category"],
            brand=form["brand"].strip(),
            skus=tuple(SkuInput(s["sku_code"], s["price"] or "", s["cost"] or "", s["parsed"]) for s in sku_rows),
        )
        try:
            product = catalog_services.product_create(shop=request.shop, data=data, actor=request.user)
        except ShopOpsError as exc:
            detail, errors = exc.detail, exc.errors
        else:
            messages.success(request, _("Product %s created.") % product.spu_code)
            return redirect("web:product_detail", pk=product.pk)
    return render(request, "catalog/product_form.html", {
        "form": form, "categories": categories, "errors": errors, "detail": detail,
        "code_pattern": CODE_HTML_PATTERN, "code_max": MAX_CODE,
        "code_rule": _("SPU and SKU codes: letters, digits, “-”, “_” and “.”, starting with a letter or digit; "
                       "no spaces or other signs."),
    }, status=422 if errors else 200)
