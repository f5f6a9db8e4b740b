"""The catalog's pages: products (``products``), the category tree (``categories``), the SKU list and its bulk
changes (``skus``)."""

from shopops.catalog.views.categories import category_edit, category_list
from shopops.catalog.views.products import product_create, product_detail, product_list, sku_edit
from shopops.catalog.views.skus import sku_bulk, sku_list

__all__ = ["category_edit", "category_list", "product_create", "product_detail", "product_list", "sku_bulk",
           "sku_edit", "sku_list"]
