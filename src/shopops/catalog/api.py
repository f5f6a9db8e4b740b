"""/api/v1/products (list, read and create SPUs with SKUs), /api/v1/skus (change one or many SKUs) and
/api/v1/categories (the category tree: list, read, create, rename/move, delete)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError
from pydantic import Field

from shopops.catalog import selectors, services
from shopops.catalog.domain import ProductInput, SkuInput, sku_fields_denied
from shopops.catalog.models import Product
from shopops.catalog.schemas import (
    CategoryIn,
    CategoryOut,
    CategoryPage,
    CategoryPatch,
    ProductIn,
    ProductOut,
    ProductPage,
    SkuBulkIn,
    SkuBulkOut,
    SkuOut,
    SkuPatch,
)
from shopops.core.api_auth import current_shop, needs
from shopops.core.i18n import say
from shopops.core.money import format_fen
from shopops.core.roles import ADD_PRODUCTS, CHANGE_PRICES, CHANGE_PRODUCTS, VIEW_COSTS, VIEW_PRODUCTS
from shopops.core.schemas import ERRORS, MAX_DB_ID, PageParams

router = Router(tags=["products"])
skus_router = Router(tags=["products"])
categories_router = Router(tags=["categories"])


class ProductFilters(PageParams):
    q: str = Field("", max_length=100)
    category: str = Field("", max_length=40)
    status: str = Field("", max_length=10)
    sort: str = Field("", max_length=20)


def sku_out(sku, *, show_cost: bool) -> dict:
    return {
        "id": sku.pk,
        "sku_code": sku.sku_code,
        "price": format_fen(sku.price_fen),
        "cost": format_fen(sku.cost_fen) if show_cost else None,
        "attributes": sku.attributes,
        "barcode": sku.barcode,
        "active": sku.active,
    }


def product_out(product: Product, *, show_cost: bool, with_listings: bool = False) -> dict:
    return {
        "id": product.pk,
        "spu_code": product.spu_code,
        "title": product.title,
        "category": product.category.code,
        "category_name": product.category.name,
        "brand": product.brand,
        "status": product.status,
        "launched_on": product.launched_on,
        "skus": [sku_out(sku, show_cost=show_cost) for sku in product.skus.all()],
        "listings": [
            {
                "channel": listing.channel_account.channel,
                "channel_account": listing.channel_account.name,
                "title": listing.title,
                "subtitle": listing.subtitle,
                "keywords": listing.keywords,
                "media": [item if isinstance(item, str) else str(item.get("url", "")) for item in listing.media
                          if isinstance(item, str | dict)],  # URLs, as before
                "media_items": [item if isinstance(item, dict) else {"kind": "main", "url": item}
                                for item in listing.media if isinstance(item, str | dict)],
                "status": listing.status,
                "external_id": listing.external_id,
                "url": listing.url,
                "skus": [{"sku_code": ls.sku.sku_code, "platform_sku_id": ls.platform_sku_id,
                          "price": None if ls.price_fen is None else format_fen(ls.price_fen), "status": ls.status}
                         for ls in listing.skus.all()],
            }
            for listing in product.listings.all()
        ]
        if with_listings
        else [],
    }


@router.get("", response={200: ProductPage, **ERRORS}, auth=needs(VIEW_PRODUCTS))
def list_products(request: HttpRequest, filters: Query[ProductFilters]) -> dict:
    shop = current_shop(request)
    qs, _sort = selectors.product_list(
        shop=shop, q=filters.q, category=filters.category, status=filters.status, sort=filters.sort
    )
    page = qs.prefetch_related("skus")[filters.offset : filters.offset + filters.limit]
    show_cost = request.auth.has_perm(VIEW_COSTS)
    return {"items": [product_out(p, show_cost=show_cost) for p in page], "count": qs.count()}


@router.get("/{product_id}", response={200: ProductOut, **ERRORS}, auth=needs(VIEW_PRODUCTS))
def get_product(request: HttpRequest, product_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> dict:
    product = selectors.product_detail(shop=current_shop(request), pk=product_id)
    if product is None:
        raise HttpError(404, "No such product.")
    return product_out(product, show_cost=request.auth.has_perm(VIEW_COSTS), with_listings=True)


@router.post("", response={201: ProductOut, **ERRORS}, auth=needs(ADD_PRODUCTS))
def create_product(request: HttpRequest, payload: ProductIn) -> tuple[int, dict]:
    shop = current_shop(request)
    data = ProductInput(
        spu_code=payload.spu_code,
        title=payload.title,
        category=payload.category,
        brand=payload.brand,
        description=payload.description,
        skus=tuple(
            SkuInput(sku_code=s.sku_code, price=s.price, cost=s.cost, attributes=s.attributes, barcode=s.barcode)
            for s in payload.skus
        ),
    )
    product = services.product_create(shop=shop, data=data, actor=request.auth)
    product = selectors.product_detail(shop=shop, pk=product.pk)
    return 201, product_out(product, show_cost=True, with_listings=True)


# Before ``/{path:sku_code}``, which would take "bulk" as a code.
@skus_router.post("/bulk", response={200: SkuBulkOut, **ERRORS}, auth=needs(CHANGE_PRODUCTS))
def bulk_update_skus(request: HttpRequest, payload: SkuBulkIn) -> dict:
    """Set the price, cost and/or on-sale flag of many SKUs, all or nothing (audited per SKU). A price needs
    the price permission, a cost the cost permission."""
    given = {name for name in ("price", "cost", "active") if getattr(payload, name) is not None}
    denied = sku_fields_denied(given, request.auth.has_perm)
    if denied is not None:
        raise HttpError(403, say(denied))
    result = services.skus_bulk_update(shop=current_shop(request), sku_codes=payload.sku_codes,
                                       price=payload.price, cost=payload.cost, active=payload.active,
                                       actor=request.auth)
    show_cost = request.auth.has_perm(VIEW_COSTS)
    return {"items": [sku_out(sku, show_cost=show_cost) for sku in result.skus], "count": len(result.skus),
            "changed": result.changed}


# ``path``: a code stored before the code rule may hold a "/" (sent percent-encoded as %2F); it must stay reachable.
@skus_router.patch("/{path:sku_code}", response={200: SkuOut, **ERRORS}, auth=needs(CHANGE_PRICES))
def update_sku(request: HttpRequest, sku_code: str, payload: SkuPatch) -> dict:
    """Change a SKU's price, cost or on-sale flag (audited). Percent-encode the code in the path."""
    sku = selectors.sku_by_code(shop=current_shop(request), sku_code=sku_code)
    if sku is None:
        raise HttpError(404, "No such SKU.")
    sku = services.sku_update(sku=sku, price=payload.price, cost=payload.cost, active=payload.active,
                              actor=request.auth)
    return sku_out(sku, show_cost=True)


class CategoryFilters(PageParams):
    q: str = Field("", max_length=100, description="Part of a code, name or path")


def _category(request: HttpRequest, code: str) -> dict:
    row = selectors.category_row(shop=current_shop(request), code=code)
    if row is None:
        raise HttpError(404, _("No category with the code %(code)s.") % {"code": code})
    return row.as_dict()


@categories_router.get("", response={200: CategoryPage, **ERRORS}, auth=needs(VIEW_PRODUCTS))
def list_categories(request: HttpRequest, filters: Query[CategoryFilters]) -> dict:
    """Every category in tree order (parents before their children), paged like every list."""
    rows = selectors.category_tree(shop=current_shop(request))
    q = filters.q.strip().lower()
    if q:
        rows = [row for row in rows if q in row.code.lower() or q in row.path.lower()]
    page = rows[filters.offset : filters.offset + filters.limit]
    return {"items": [row.as_dict() for row in page], "count": len(rows)}


@categories_router.post("", response={201: CategoryOut, **ERRORS}, auth=needs(CHANGE_PRODUCTS))
def create_category(request: HttpRequest, payload: CategoryIn) -> tuple[int, dict]:
    """A new category; ``parent`` is the parent's code (null: at the top). 409 when the code is taken."""
    shop = current_shop(request)
    services.category_create(shop=shop, code=payload.code, name=payload.name, parent=payload.parent,
                             actor=request.auth, exists_ok=False)
    return 201, _category(request, payload.code)


# ``path``: a code stored before the code rule may hold a "/"; it must stay reachable (see the SKUs).
@categories_router.get("/{path:category_code}", response={200: CategoryOut, **ERRORS}, auth=needs(VIEW_PRODUCTS))
def get_category(request: HttpRequest, category_code: str) -> dict:
    return _category(request, category_code)


@categories_router.patch("/{path:category_code}", response={200: CategoryOut, **ERRORS},
                         auth=needs(CHANGE_PRODUCTS))
def update_category(request: HttpRequest, category_code: str, payload: CategoryPatch) -> dict:
    """Rename (``name``) and/or move (``parent``: a code, or null for the top); absent fields stay as they are."""
    parent = payload.parent if "parent" in payload.model_fields_set else services.KEEP
    services.category_change(shop=current_shop(request), code=category_code, name=payload.name, parent=parent,
                             actor=request.auth)
    return _category(request, category_code)


@categories_router.delete("/{path:category_code}", response={204: None, **ERRORS}, auth=needs(CHANGE_PRODUCTS))
def delete_category(request: HttpRequest, category_code: str) -> tuple[int, None]:
    """Delete a category no product or subcategory uses (409 saying how many use it otherwise)."""
    services.category_delete(shop=current_shop(request), code=category_code, actor=request.auth)
    return 204, None
