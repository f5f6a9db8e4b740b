"""Reads for product analysis (CLI ``shopops products analyze``, /api/v1/analytics/products, the page):
sales from the lake, SKUs and launch dates from ``catalog.selectors``, stock from ``inventory.selectors``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from shopops.analytics.cache import remember
from shopops.analytics.engine import Tables
from shopops.analytics.queries import products as query
from shopops.analytics.selectors.metrics import parse_period, shop_tables
from shopops.catalog import selectors as catalog
from shopops.core.errors import ErrorCollector
from shopops.inventory import selectors as inventory

if TYPE_CHECKING:
    from shopops.core.models import Shop


def catalog_skus(*, shop: Shop) -> dict[str, query.CatalogSku]:
    out = {}
    for code, sku in catalog.skus_by_code(shop=shop).items():
        product = sku.product
        out[code] = query.CatalogSku(
            sku=code, spu=product.spu_code, title=product.title,
            category=getattr(product.category, "code", "") if product.category_id else "",
            price_fen=sku.price_fen, on_sale=bool(sku.active and product.status == "active"),
            launched_on=product.launched_on)
    return out


def stock_on_hand(*, shop: Shop, catalog_map: dict[str, query.CatalogSku]) -> dict[str, int] | None:
    """SKU code → units on hand now (active locations); None when the shop keeps no stock in ShopOps."""
    by_id = inventory.stock_by_sku(shop=shop)
    if not by_id:
        return None
    ids = catalog.sku_ids_by_code(shop=shop, codes=set(catalog_map))
    return {code: int(by_id.get(pk, {}).get("on_hand", 0)) for code, pk in ids.items()}


def products_analysis(*, shop: Shop, date_from: object, date_to: object,
                      tables: Tables | None = None) -> dict:
    errors = ErrorCollector()
    period = parse_period(date_from, date_to, errors=errors)
    errors.raise_if_any(_("The product analysis request is not valid."))
    assert period is not None
    tables = tables if tables is not None else shop_tables(shop=shop)
    sales = remember("products.sku_sales", tables, {"from": period[0], "to": period[1]},
                     lambda t: t.engine.rows(query.sku_sales(t, date_from=period[0], date_to=period[1])))
    catalog_map = catalog_skus(shop=shop)
    stock = stock_on_hand(shop=shop, catalog_map=catalog_map)
    return query.analyze(sales, catalog_map, stock, date_from=period[0], date_to=period[1])
