"""The stock-count file (盘点表): SKU, location and counted units, posted as ledger adjustments
(``target="stock"``, run by ``imports/stock_count_import.py``; docs/formats.md#stock-count)."""

from __future__ import annotations

from shopops.core.domain import MAX_STOCK_QTY
from shopops.core.text import gettext_noop
from shopops.imports.columns import Column
from shopops.imports.formats.base import Format

SKU_COLUMN, LOCATION_COLUMN, COUNTED_COLUMN, NOTE_COLUMN = "SKU编码", "仓库", "盘点数量", "备注"

STOCK_COUNT = Format(
    name="stock-count", title=gettext_noop("Stock count (opening stock)"), channel="own-site", target="stock",
    columns=(
        Column(SKU_COLUMN, aliases=("商家编码", "SKU", "sku_code"), required=True, nullable=False),
        Column(LOCATION_COLUMN, aliases=("库位", "location")),
        Column(COUNTED_COLUMN, aliases=("数量", "counted", "qty"), required=True, kind="int", nullable=False,
               minimum=0, maximum=MAX_STOCK_QTY),
        Column(NOTE_COLUMN, aliases=("note",)),
    ),
    quirks=("CSV (UTF-8 or GBK) or xlsx; one row per SKU and location",
            "仓库: a location's code or name; empty means the default location",
            "each row sets on hand to 盘点数量: the ledger gets one adjustment of the difference, noted with the reason",
            "all or nothing: an unknown SKU or location, a SKU counted twice at one location or a count below the "
            "reserved units rejects the whole file (--skip-invalid does not apply)"),
    doc="stock-count",
)
