"""Writes of the catalog: the category tree (``categories``), products with SKUs (``products``), SKU changes one
by one or in bulk (``skus``), per-channel listings and their platform SKUs (``listings``), a whole catalog
file at once (``sync``), SKU matching's mappings (``matching``)."""

from shopops.catalog.services.categories import (
    KEEP,
    category_change,
    category_create,
    category_delete,
    category_find,
    category_get,
    category_move,
    category_rename,
)
from shopops.catalog.services.listings import (
    MAX_TITLE,
    UpsertCounts,
    listing_media_update,
    listing_skus_upsert,
    listing_text_update,
    listing_upsert,
    listings_create_bulk,
)
from shopops.catalog.services.matching import mapping_delete, mapping_save, sku_create_from_line
from shopops.catalog.services.products import product_create
from shopops.catalog.services.skus import BulkResult, sku_update, skus_bulk_update
from shopops.catalog.services.sync import ListingSync, ProductSync, SkuSync, SyncResult, catalog_sync

__all__ = [
    "KEEP",
    "MAX_TITLE",
    "BulkResult",
    "ListingSync",
    "ProductSync",
    "SkuSync",
    "SyncResult",
    "UpsertCounts",
    "catalog_sync",
    "category_change",
    "category_create",
    "category_delete",
    "category_find",
    "category_get",
    "category_move",
    "category_rename",
    "listing_skus_upsert",
    "listing_media_update",
    "listing_text_update",
    "listing_upsert",
    "listings_create_bulk",
    "mapping_delete",
    "mapping_save",
    "product_create",
    "sku_create_from_line",
    "sku_update",
    "skus_bulk_update",
]
