"""Realistic catalog files in each catalog format, written from a shop's own catalog (``shopops export-sample``).

Each writer keeps its platform's habits: GBK for 淘宝/京东/拼多多, tab-prefixed ids and ``-`` for empty on 抖店 (and
its category split over 一级类目/二级类目/三级类目), product fields only on the first row of a Shopify Handle. The
platform files carry no SPU column, so importing one back finds the stored products by their SKU codes and only
brings the listing on the import's account up to date. Every text cell passes the formula rule
(``neutralize_formula``; 抖店's “-” is the empty marker, not a formula): a stored “=HYPERLINK(…)” leaves as text, never as a formula. Pure code apart from the
file it writes.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shopops.core.domain import neutralize_formula

ITEM_ID_BASE = 600_000_000_000  # made-up platform ids for products without a listing on the account
SKU_ID_BASE = 900_000_000_000


@dataclass(frozen=True, slots=True)
class SampleSku:
    sku_code: str
    attributes: dict[str, str]
    barcode: str
    price_fen: int
    cost_fen: int
    active: bool
    platform_sku_id: str = ""


@dataclass(frozen=True, slots=True)
class SampleProduct:
    spu_code: str
    title: str
    brand: str
    category: tuple[str, ...]  # names from the top
    skus: tuple[SampleSku, ...]
    description: str = ""
    launched_on: dt.date | None = None
    item_id: str = ""  # the listing's platform item id on the account ("": made up)
    listing_title: str = ""


def _yuan(fen: int, prefix: str = "") -> str:
    return f"{prefix}{fen // 100}.{fen % 100:02d}"


def _spec(attributes: dict[str, str]) -> str:
    return ";".join(f"{name}:{value}" for name, value in attributes.items())


def _ids(product: SampleProduct, index: int) -> tuple[str, list[str]]:
    """The product's platform item id and its SKUs' platform ids (made up where the account has none)."""
    item = product.item_id or str(ITEM_ID_BASE + index)
    return item, [s.platform_sku_id or str(SKU_ID_BASE + index * 100 + n) for n, s in enumerate(product.skus)]


def catalog_rows(product: SampleProduct, index: int) -> list[list[str]]:
    """The ShopOps template (no listing columns: the sample's listings stay as they are)."""
    return [["/".join(product.category), product.spu_code, product.title, product.brand, s.sku_code,
             _spec(s.attributes), s.barcode, _yuan(s.price_fen), _yuan(s.cost_fen), "在售" if s.active else "停售",
             "", "", "", product.description if n == 0 else "",
             product.launched_on.isoformat() if product.launched_on and n == 0 else ""]
            for n, s in enumerate(product.skus)]


def taobao_rows(product: SampleProduct, index: int) -> list[list[str]]:
    item, sku_ids = _ids(product, index)
    low = min(s.price_fen for s in product.skus)
    status = "出售中" if any(s.active for s in product.skus) else "仓库中"
    return [[product.title, "/".join(product.category), _yuan(low), "100", product.spu_code, _spec(s.attributes),
             s.sku_code, sku_id, _yuan(s.price_fen), item, status, product.brand]
            for s, sku_id in zip(product.skus, sku_ids, strict=True)]


def shopify_rows(product: SampleProduct, index: int) -> list[list[str]]:
    rows = []
    names = list(product.skus[0].attributes)[:3] if product.skus else []
    for n, s in enumerate(product.skus):
        head = n == 0
        options: list[str] = []
        for k in range(3):
            name = names[k] if k < len(names) else ""
            options += [name if head else "", s.attributes.get(name, "") if name else ""]
        if not names:
            options[:2] = ["Title" if head else "", "Default Title"]
        rows.append([product.spu_code, product.title if head else "", product.brand if head else "",
                     " > ".join(product.category) if head else "", product.category[-1] if head else "", *options,
                     s.sku_code, _yuan(s.price_fen), s.barcode, _yuan(s.cost_fen),
                     ("active" if any(x.active for x in product.skus) else "draft") if head else ""])
    return rows


def jd_rows(product: SampleProduct, index: int) -> list[list[str]]:
    item, sku_ids = _ids(product, index)
    return [[item, product.listing_title or product.title, ">".join(product.category), sku_id, _spec(s.attributes),
             _yuan(s.price_fen), "100", s.sku_code, s.barcode, "上柜" if s.active else "下柜", product.brand]
            for s, sku_id in zip(product.skus, sku_ids, strict=True)]


DOUYIN_LEVELS = ("一级类目", "二级类目", "三级类目", "四级类目", "五级类目")


def douyin_rows(product: SampleProduct, index: int) -> list[list[str]]:
    item, sku_ids = _ids(product, index)
    levels = [*product.category, *[""] * (len(DOUYIN_LEVELS) - len(product.category))]
    return [[f"\t{item}", product.listing_title or product.title, *[level or "-" for level in levels],
             f"\t{sku_id}", _spec(s.attributes) or "-", _yuan(s.price_fen, "¥"), "100", s.sku_code,
             s.barcode or "-", "在线" if s.active else "已下架"]
            for s, sku_id in zip(product.skus, sku_ids, strict=True)]


def pdd_rows(product: SampleProduct, index: int) -> list[list[str]]:
    item, sku_ids = _ids(product, index)
    return [[item, product.listing_title or product.title, ">".join(product.category), sku_id,
             _spec(s.attributes), _yuan(s.price_fen), _yuan(s.price_fen + s.price_fen // 10), "100", s.sku_code,
             "在售中" if s.active else "已下架"]
            for s, sku_id in zip(product.skus, sku_ids, strict=True)]


@dataclass(frozen=True)
class CatalogWriter:
    header: Sequence[str]
    rows: Callable[[SampleProduct, int], list[list[str]]]
    encoding: str


CATALOG_WRITERS: dict[str, CatalogWriter] = {
    "catalog-xlsx": CatalogWriter(["类目", "SPU编码", "商品名称", "品牌", "SKU编码", "规格", "条码", "售价", "成本", "状态",
                                   "平台商品ID", "平台SKU ID", "链接", "描述", "上市日期"], catalog_rows, "utf-8-sig"),
    "taobao-items": CatalogWriter(["宝贝名称", "宝贝类目", "价格", "数量", "商家编码", "销售属性", "SKU商家编码", "SKU ID",
                                   "SKU价格", "宝贝ID", "宝贝状态", "品牌"], taobao_rows, "gbk"),
    "shopify-products": CatalogWriter(["Handle", "Title", "Vendor", "Product Category", "Type", "Option1 Name",
                                       "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name",
                                       "Option3 Value", "Variant SKU", "Variant Price", "Variant Barcode",
                                       "Cost per item", "Status"], shopify_rows, "utf-8"),
    "jd-items": CatalogWriter(["商品编号", "商品名称", "类目", "SKU编号", "销售属性", "京东价", "库存", "商家SKU", "条形码",
                               "商品状态", "品牌"], jd_rows, "gbk"),
    "douyin-items": CatalogWriter(["商品ID", "商品名称", *DOUYIN_LEVELS, "SKU ID", "规格", "价格", "库存", "商家编码", "条码",
                                   "商品状态"], douyin_rows, "utf-8-sig"),
    "pdd-items": CatalogWriter(["商品ID", "商品名称", "类目", "SKU ID", "规格", "拼单价(元)", "单买价(元)", "库存", "商家编码",
                                "商品状态"], pdd_rows, "gbk"),
}


def write_catalog_sample(format_name: str, path: str | Path, products: Iterable[SampleProduct]) -> dict[str, object]:
    """Write ``products`` in the catalog format; returns the rows and products written."""
    writer = CATALOG_WRITERS[format_name]
    rows = count = 0
    with Path(path).open("w", encoding=writer.encoding, newline="", errors="replace") as out:
        csv_out = csv.writer(out)
        csv_out.writerow(writer.header)
        for index, product in enumerate(products):
            if not product.skus:
                continue
            count += 1
            for row in writer.rows(product, index):
                csv_out.writerow([cell if cell in ("", "-") else neutralize_formula(cell) for cell in row])
                rows += 1
    return {"format": format_name, "file": str(path), "rows": rows, "products": count}
