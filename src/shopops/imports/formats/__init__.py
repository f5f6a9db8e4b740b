"""The registry of import formats: ``FORMATS[name]`` (names are the CLI/API contract)."""

from __future__ import annotations

from shopops.imports.formats.base import Format
from shopops.imports.formats.catalog_formats import CATALOG_FORMATS
from shopops.imports.formats.catalog_platforms import PLATFORM_ITEM_FORMATS
from shopops.imports.formats.chat_formats import CHAT_FORMATS
from shopops.imports.formats.lake_formats import LAKE_FORMATS
from shopops.imports.formats.orders_formats import ORDER_FORMATS
from shopops.imports.formats.returns_formats import RETURNS_FORMATS
from shopops.imports.formats.review_formats import REVIEWS
from shopops.imports.formats.stock_formats import STOCK_COUNT

FORMATS: dict[str, Format] = {f.name: f for f in (*ORDER_FORMATS, *LAKE_FORMATS, STOCK_COUNT, *CATALOG_FORMATS,
                                                  *PLATFORM_ITEM_FORMATS, *CHAT_FORMATS, REVIEWS, *RETURNS_FORMATS)}


def register(fmt: Format) -> None:
    if fmt.name in FORMATS:
        raise ValueError(f"format {fmt.name} registered twice")
    FORMATS[fmt.name] = fmt

