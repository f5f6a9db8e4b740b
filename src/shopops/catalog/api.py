"""/api/v1/products: list, read and create SPUs with SKUs."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.errors import HttpError
from pydantic import Field

from shopops.catalog import selectors, services
from shopops.catalog.domain import ProductInput, SkuInput
from shopops.catalog.models import Product
from shopops.catalog.schemas import ProductIn, ProductOut, ProductPage, SkuOut, SkuPatch
from shopops.core.api_auth import current_shop, needs
from shopops.core.money import format_fen
from shopops.core.roles import ADD_PRODUCTS, CHANGE_PRICES, VIEW_COSTS, VIEW_PRODUCTS
from shopops.core.schemas import ERRORS, MAX_DB_ID, PageParams

router = Router(tags=["products"])
skus_router = Router(tags=["products"])


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
                "media": listing.media,
                "status": listing.status,
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
