"""Catalog formats (``target="catalog"``): a file's rows become :class:`CatalogRow` s — one SKU each, with its
category path, product (SPU) and, when the file has them, its listing on the job's channel account.

Pure code (no Django, no I/O). ``catalog_import`` reads the file through the shared readers, calls the
format's ``rows`` function per product (rows grouped by ``order_key``: the SPU / 宝贝ID) and only then writes,
all or nothing, through the catalog services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from shopops.catalog.domain import MAX_CATEGORY_DEPTH
from shopops.core.domain import MAX_AMOUNT_FEN
from shopops.core.text import gettext_noop
from shopops.imports.columns import Column
from shopops.imports.formats.base import Format, Record, RowProblem, first, need

MONEY = {"kind": "money", "minimum": 0, "maximum": MAX_AMOUNT_FEN}
CATEGORY_SEPARATORS = ("/", ">", "›", "＞", "／")
STATUS_ACTIVE = {"在售": True, "上架": True, "出售中": True, "停售": False, "下架": False, "仓库中": False,
                 "active": True, "draft": False, "archived": False,
                 # 京东 上柜/下柜, 抖店 在线/售卖中/已下架, 拼多多 在售中/已下架/售罄
                 "上柜": True, "下柜": False, "在线": True, "售卖中": True, "已上架": True, "已下架": False,
                 "在售中": True, "售罄": True, "已售罄": True, "待上架": False}


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One SKU as a catalog file gives it (money in fen; ``cost_fen`` None: not given)."""

    row: int
    category: tuple[str, ...]
    category_column: str
    spu_code: str
    title: str
    brand: str
    sku_code: str
    attributes: dict[str, str]
    barcode: str
    price_fen: int
    cost_fen: int | None
    active: bool
    item_id: str = ""  # the platform's item id: a listing on the job's channel account
    platform_sku_id: str = ""
    listing_title: str = ""
    url: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # our field → the file's column, for messages
    new_spu_code: str = ""  # spu_code "": the stored product holding the SKUs, else a new one with this code
    description: str = ""
    launched_on: dt.date | None = None


@dataclass(frozen=True)
class CatalogFormat(Format):
    """A format whose rows are SKUs of the catalog: ``rows`` turns one product's records into CatalogRows
    (raises RowProblem)."""

    rows: Callable[[Sequence[Record]], list[CatalogRow]] | None = None


def category_parts(value: object, row: int, column: str) -> tuple[str, ...]:
    """“服饰/女装/连衣裙” or “服饰>女装” → the names from the top; a path deeper than the tree allows, an empty
    level or a name repeated inside its own path (a loop) is a RowProblem."""
    text = str(value or "")
    for separator in CATEGORY_SEPARATORS[1:]:
        text = text.replace(separator, "/")
    parts = tuple(part.strip() for part in text.split("/"))
    if not text.strip() or not all(parts):
        raise RowProblem(row, column, gettext_noop("give the category as a path like 服饰/女装/连衣裙"))
    if len(parts) > MAX_CATEGORY_DEPTH:
        raise RowProblem(row, column, gettext_noop("a category path has at most %(n)s levels",
                                                   n=MAX_CATEGORY_DEPTH))
    if len(set(parts)) != len(parts):
        raise RowProblem(row, column, gettext_noop("the category path names a category inside itself"))
    return parts


def attributes_of(value: object, row: int, column: str) -> dict[str, str]:
    """“颜色:红;尺码:M” (also ：，; and ,) → {"颜色": "红", "尺码": "M"}; a part without a name is a RowProblem."""
    pairs = _attribute_pairs(str(value or ""))
    if pairs is None:
        raise RowProblem(row, column, gettext_noop("write each attribute as name:value, e.g. 颜色:红;尺码:M"))
    return dict(pairs)


@lru_cache(maxsize=4096)
def _attribute_pairs(text: str) -> tuple[tuple[str, str], ...] | None:
    """The (name, value) pairs of an attribute text, None when a part has no name or value (a catalog repeats
    a few dozen texts over its SKUs: each is read once)."""
    text = text.replace("：", ":").replace("；", ";").replace("，", ";").replace(",", ";")
    pairs = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, colon, wanted = part.partition(":")
        if not colon or not name.strip() or not wanted.strip():
            return None
        pairs.append((name.strip(), wanted.strip()))
    return tuple(pairs)


def int_of(value: object) -> int:
    """A converted int/money/row-number cell (the converter made it an int)."""
    if not isinstance(value, int):
        raise TypeError(f"expected an int, got {value!r}")
    return value


def active_of(value: object, row: int, column: str) -> bool:
    if value in (None, ""):
        return True
    found = STATUS_ACTIVE.get(str(value).strip())
    if found is None:
        raise RowProblem(row, column, gettext_noop("unknown status “%(status)s”: use 在售 or 停售", status=str(value)))
    return found


# ------------------------------------------------------------------------------ ShopOps' own template

CATALOG_COLUMNS = (
    Column("类目", required=True, nullable=False),
    Column("SPU编码", aliases=("款号",), required=True, nullable=False),
    Column("商品名称", required=True, nullable=False),
    Column("品牌"),
    Column("SKU编码", aliases=("商家编码",), required=True, nullable=False, unique=True),
    Column("规格", aliases=("销售属性",)),
    Column("条码"),
    Column("售价", required=True, nullable=False, **MONEY),  # type: ignore[arg-type]
    Column("成本", **MONEY),  # type: ignore[arg-type]
    Column("状态"),
    Column("平台商品ID", kind="id"),
    Column("平台SKU ID", kind="id"),
    Column("链接"),
    Column("描述", aliases=("商品描述",)),
    Column("上市日期", kind="date"),
)


def catalog_rows(records: Sequence[Record]) -> list[CatalogRow]:
    """One product of the template: its rows share SPU编码; the category, title and brand of the first row."""
    head = records[0]
    row = int_of(head["_row"])
    category = category_parts(need(head, "类目"), row, "类目")
    return [CatalogRow(
        row=int_of(r["_row"]), category=category, category_column="类目", spu_code=str(head["SPU编码"]),
        title=str(need(head, "商品名称")), brand=str(first(records, "品牌") or ""), sku_code=str(need(r, "SKU编码")),
        attributes=attributes_of(r.get("规格"), int_of(r["_row"]), "规格"), barcode=str(r.get("条码") or ""),
        price_fen=int_of(need(r, "售价")),
        cost_fen=None if r.get("成本") is None else int_of(r["成本"]),
        active=active_of(r.get("状态"), int_of(r["_row"]), "状态"), item_id=str(first(records, "平台商品ID") or ""),
        platform_sku_id=str(r.get("平台SKU ID") or ""), listing_title=str(need(head, "商品名称")),
        columns={"sku_code": "SKU编码", "price": "售价", "cost": "成本", "spu_code": "SPU编码", "title": "商品名称",
                 "url": "链接", "item_id": "平台商品ID"},
        url=str(first(records, "链接") or ""), description=str(first(records, "描述") or ""),
        launched_on=_date(first(records, "上市日期"))) for r in records]


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


CATALOG_XLSX = CatalogFormat(
    name="catalog-xlsx", title=gettext_noop("ShopOps product template"), channel="taobao", target="catalog",
    columns=CATALOG_COLUMNS, order_key="SPU编码", rows=catalog_rows,
    quirks=("one row per SKU; rows of one product share SPU编码 and take 类目, 商品名称 and 品牌 from its first row",
            "类目 is a path from the top: “服饰/女装/连衣裙” or “服饰>女装”; missing levels are created; a stored "
            "category's code also works",
            "规格 reads “颜色:红;尺码:M”; 状态 is 在售 (default) or 停售",
            "平台商品ID, 平台SKU ID and 链接 (optional) make a listing on the import's channel account",
            "描述 and 上市日期 (optional, from the product's first row) set the product's description and launch date"),
)

# ------------------------------------------------------------------------ Taobao 出售中/仓库中的宝贝

TAOBAO_ITEM_COLUMNS = (
    Column("宝贝ID", aliases=("商品ID", "宝贝id"), required=True, kind="id", nullable=False),
    Column("宝贝名称", aliases=("宝贝标题",), required=True, nullable=False),
    Column("宝贝类目", aliases=("类目",), required=True, nullable=False),
    Column("价格", aliases=("宝贝价格",), required=True, nullable=False, **MONEY),  # type: ignore[arg-type]
    Column("商家编码", aliases=("宝贝商家编码",), required=True, nullable=False),
    Column("品牌"),
    Column("销售属性", aliases=("销售属性组合", "SKU属性")),
    Column("SKU商家编码", aliases=("SKU编码",), unique=True),
    Column("SKU ID", aliases=("SKUID", "宝贝SKU ID"), kind="id"),
    Column("SKU价格", **MONEY),  # type: ignore[arg-type]
    Column("宝贝状态", aliases=("状态",)),
)


def taobao_item_rows(records: Sequence[Record]) -> list[CatalogRow]:
    """One 宝贝: its item-level fields on its first row; each SKU row names its own 商家编码 (outer id), an item
    without SKU rows is one SKU whose code is the item's 商家编码."""
    head = records[0]
    row = int_of(head["_row"])
    item_id = str(head["宝贝ID"])
    category = category_parts(first(records, "宝贝类目"), row, "宝贝类目")
    spu = str(first(records, "商家编码") or need(head, "商家编码"))
    title = str(first(records, "宝贝名称") or need(head, "宝贝名称"))
    active = active_of(first(records, "宝贝状态"), row, "宝贝状态")
    price = int_of(first(records, "价格") or 0)
    out = []
    for r in records:
        code = str(r.get("SKU商家编码") or "")
        if not code and (len(records) > 1 or r.get("销售属性")):
            raise RowProblem(int_of(r["_row"]), "SKU商家编码", gettext_noop("must not be empty"))
        out.append(CatalogRow(
            row=int_of(r["_row"]), category=category, category_column="宝贝类目", spu_code=spu, title=title,
            brand=str(first(records, "品牌") or ""), sku_code=code or spu,
            attributes=attributes_of(r.get("销售属性"), int_of(r["_row"]), "销售属性"), barcode="",
            price_fen=int_of(r.get("SKU价格") or price),
            cost_fen=None, active=active, item_id=item_id, platform_sku_id=str(r.get("SKU ID") or ""),
            listing_title=title, url=f"https://item.taobao.com/item.htm?id={item_id}",
            columns={"sku_code": "SKU商家编码" if code else "商家编码", "price": "SKU价格" if r.get("SKU价格") else "价格",
                     "spu_code": "商家编码", "title": "宝贝名称", "item_id": "宝贝ID"}))
    return out


TAOBAO_ITEMS = CatalogFormat(
    name="taobao-items", title=gettext_noop("Taobao items on sale / in the warehouse"), channel="taobao",
    target="catalog", columns=TAOBAO_ITEM_COLUMNS, order_key="宝贝ID", rows=taobao_item_rows,
    quirks=("GBK CSV from 卖家中心 出售中的宝贝 / 仓库中的宝贝; one row per SKU, item fields repeat or sit on the first row",
            "商家编码 (the item's outer id) is the SPU code; SKU商家编码 (the SKU's outer id) the SKU code — an item "
            "without SKUs is one SKU coded by 商家编码",
            "宝贝类目 is the category path (“女装/连衣裙”); 数量 (stock) is not imported",
            "宝贝状态 出售中 → on sale, 仓库中 → off sale; the listing's address is built from 宝贝ID"),
)

# ------------------------------------------------------------------------------ Shopify products_export.csv

SHOPIFY_PRODUCT_COLUMNS = (
    Column("Handle", required=True, nullable=False),
    Column("Title"),
    Column("Vendor"),
    Column("Product Category"),
    Column("Type"),
    Column("Option1 Name"),
    Column("Option1 Value"),
    Column("Option2 Name"),
    Column("Option2 Value"),
    Column("Option3 Name"),
    Column("Option3 Value"),
    Column("Variant SKU", required=True, unique=True),
    Column("Variant Price", required=True, **MONEY),  # type: ignore[arg-type]
    Column("Variant Barcode"),
    Column("Cost per item", **MONEY),  # type: ignore[arg-type]
    Column("Status"),
)


def _shopify_options(records: Sequence[Record], record: Record) -> dict[str, str]:
    """Option1..3 as attributes; the names sit on the product's first row; “Title: Default Title” is none."""
    attributes = {}
    for n in (1, 2, 3):
        name, value = first(records, f"Option{n} Name"), record.get(f"Option{n} Value")
        if name and value and (name, value) != ("Title", "Default Title"):
            attributes[str(name)] = str(value)
    return attributes


def shopify_product_rows(records: Sequence[Record]) -> list[CatalogRow]:
    """One Handle: product fields on its first row, one row per variant; image-only rows (no SKU, no option
    value) are not variants."""
    variants = [r for r in records if r.get("Variant SKU") or r.get("Option1 Value") or r.get("Variant Price")]
    head = records[0]
    row = int_of(head["_row"])
    if not variants:
        raise RowProblem(row, "Variant SKU", gettext_noop("must not be empty"))
    category = category_parts(first(records, "Product Category") or first(records, "Type"), row, "Product Category")
    title = str(first(records, "Title") or need(head, "Title"))
    active = active_of(first(records, "Status"), row, "Status")
    return [CatalogRow(
        row=int_of(r["_row"]), category=category, category_column="Product Category", spu_code=str(head["Handle"]),
        title=title, brand=str(first(records, "Vendor") or ""), sku_code=str(need(r, "Variant SKU")),
        attributes=_shopify_options(records, r), barcode=str(r.get("Variant Barcode") or ""),
        price_fen=int_of(need(r, "Variant Price")),
        cost_fen=None if r.get("Cost per item") is None else int_of(r["Cost per item"]), active=active,
        item_id=str(head["Handle"]), listing_title=title,
        columns={"sku_code": "Variant SKU", "price": "Variant Price", "cost": "Cost per item", "spu_code": "Handle",
                 "title": "Title"}) for r in variants]


SHOPIFY_PRODUCTS = CatalogFormat(
    name="shopify-products", title=gettext_noop("Shopify products_export.csv"), channel="shopify",
    target="catalog", columns=SHOPIFY_PRODUCT_COLUMNS, order_key="Handle", rows=shopify_product_rows,
    quirks=("UTF-8 CSV, one row per variant; product fields (Title, Vendor, Product Category, Option names) only "
            "on the first row of each Handle; rows with only an image are not variants",
            "Handle is the SPU code and the listing's id; Variant SKU the SKU code",
            "Product Category (“Apparel & Accessories > Clothing > Dresses”), else Type, is the category path",
            "Option1..3 Name/Value become the SKU's attributes (“Title: Default Title” is none); Status active → "
            "on sale, draft/archived → off sale"),
)

CATALOG_FORMATS = (CATALOG_XLSX, TAOBAO_ITEMS, SHOPIFY_PRODUCTS)
