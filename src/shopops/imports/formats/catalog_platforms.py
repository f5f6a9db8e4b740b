"""The platforms' own product exports as catalog formats: 京东 (``jd-items``), 抖店 (``douyin-items``), 拼多多
(``pdd-items``) — one row per SKU, rows of one item sharing its platform item id (docs/formats.md#jd-items).

The three differ in names only, so one :class:`ItemLayout` says where each field sits and one function reads
them all. The item's platform id and each SKU's platform id make the listing on the import's channel account;
商家编码 is the SKU code (docs/formats.md#platform-item-codes: an empty one is derived from the platform SKU id).
Pure code, like every format module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from shopops.core.text import gettext_noop
from shopops.imports.columns import Column
from shopops.imports.formats.base import Record, RowProblem, first, need
from shopops.imports.formats.catalog_formats import (
    MONEY,
    CatalogFormat,
    CatalogRow,
    active_of,
    attributes_of,
    category_parts,
    int_of,
)

LEVELS = ("一级类目", "二级类目", "三级类目", "四级类目", "五级类目")  # a tree split over columns


@dataclass(frozen=True)
class ItemLayout:
    """Which column holds what in one platform's product export (names as the back office writes them)."""

    prefix: str  # derived codes: JD-…, DY-…, PDD-…
    item_id: str
    title: str
    category: str
    sku_id: str
    spec: str
    prices: tuple[str, ...]  # the first non-empty is the SKU's price
    sku_code: str
    spu_code: str
    barcode: str
    status: str
    brand: str
    url: Callable[[str, str], str]  # (item id, first SKU id) → the listing's address


def _platform_spec(value: object, row: int, column: str) -> dict[str, str]:
    """“颜色:红;尺码:M” as everywhere, or the bare values the exports write (“红色 M”, “红色/M”, “红色;M”): then
    规格1, 规格2…"""
    text = str(value or "").strip()
    if not text:
        return {}
    if ":" in text or "：" in text:
        return attributes_of(text, row, column)
    parts = [p for p in text.replace("/", " ").replace(";", " ").replace("；", " ").replace(",", " ").split() if p]
    return {f"规格{n}" if len(parts) > 1 else "规格": part for n, part in enumerate(parts, start=1)}


def _category(records: Sequence[Record], layout: ItemLayout, row: int) -> tuple[tuple[str, ...], str]:
    """The item's category path: the path column, else the 一级类目/二级类目/… columns."""
    path = first(records, layout.category)
    if path:
        return category_parts(path, row, layout.category), layout.category
    levels = [str(first(records, level)) for level in LEVELS if first(records, level)]
    if not levels:
        raise RowProblem(row, layout.category, gettext_noop("must not be empty"))
    return category_parts("/".join(levels), row, LEVELS[0]), LEVELS[0]


def item_rows(layout: ItemLayout, records: Sequence[Record]) -> list[CatalogRow]:
    """One item: fields of the item on its first row (or repeated), one row per SKU. A SKU without 商家编码 is
    coded ``PREFIX-<SKU ID>``; without either it is a row error. Without a SPU column the product is the stored
    one holding the SKUs, else a new one coded ``PREFIX-<item id>``."""
    head = records[0]
    row = int_of(head["_row"])
    item_id = str(need(head, layout.item_id))
    title = str(first(records, layout.title) or need(head, layout.title))
    category, category_column = _category(records, layout, row)
    spu = str(first(records, layout.spu_code) or "")
    out = []
    for record in records:
        at = int_of(record["_row"])
        sku_id = str(record.get(layout.sku_id) or "")
        code = str(record.get(layout.sku_code) or "")
        if not code and not sku_id:
            raise RowProblem(at, layout.sku_code, gettext_noop(
                "give the SKU's 商家编码 (or its platform SKU id, then the code is derived from it)"))
        price_column = next((c for c in layout.prices if record.get(c) not in (None, "")), layout.prices[0])
        price = record.get(price_column)
        if price in (None, ""):
            raise RowProblem(at, price_column, gettext_noop("must not be empty"))
        out.append(CatalogRow(
            row=at, category=category, category_column=category_column, spu_code=spu, title=title,
            brand=str(first(records, layout.brand) or ""), sku_code=code or f"{layout.prefix}-{sku_id}",
            attributes=_platform_spec(record.get(layout.spec), at, layout.spec),
            barcode=str(record.get(layout.barcode) or ""), price_fen=int_of(price), cost_fen=None,
            active=active_of(record.get(layout.status) or first(records, layout.status), at, layout.status),
            item_id=item_id, platform_sku_id=sku_id, listing_title=title,
            url=layout.url(item_id, str(first(records, layout.sku_id) or "")),
            new_spu_code=f"{layout.prefix}-{item_id}",
            columns={"sku_code": layout.sku_code if code else layout.sku_id, "price": price_column,
                     "spu_code": layout.spu_code if spu else layout.item_id, "title": layout.title,
                     "item_id": layout.item_id, "platform_sku_id": layout.sku_id, "barcode": layout.barcode,
                     "brand": layout.brand, "attributes": layout.spec}))
    return out


def _columns(layout: ItemLayout, aliases: dict[str, tuple[str, ...]]) -> tuple[Column, ...]:
    """The layout's columns: the item id and title required, the rest optional (a price column must be there
    per row, a category as a path or as levels)."""
    def column(name: str, **kw: object) -> Column:
        return Column(name, aliases=aliases.get(name, ()), **kw)  # type: ignore[arg-type]

    return (
        column(layout.item_id, required=True, kind="id", nullable=False),
        column(layout.title, required=True, nullable=False),
        column(layout.category), *(Column(level) for level in LEVELS),
        column(layout.sku_id, kind="id", unique=True),
        column(layout.spec),
        *(column(price, **MONEY) for price in layout.prices),
        column(layout.sku_code, unique=True),
        column(layout.spu_code),
        column(layout.barcode),
        column(layout.status),
        column(layout.brand),
    )


JD = ItemLayout(
    prefix="JD", item_id="商品编号", title="商品名称", category="类目", sku_id="SKU编号", spec="销售属性",
    prices=("京东价",), sku_code="商家SKU", spu_code="商品货号", barcode="条形码", status="商品状态", brand="品牌",
    url=lambda item, sku: f"https://item.jd.com/{sku or item}.html")
JD_ITEMS = CatalogFormat(
    name="jd-items", title=gettext_noop("JD seller back office product export"), channel="jd", target="catalog",
    columns=_columns(JD, {
        "商品编号": ("商品ID", "SPU编号", "商品编码"), "商品名称": ("商品标题",), "类目": ("商品类目", "类目名称"),
        "SKU编号": ("SKU ID", "SKUID", "sku编号"), "销售属性": ("规格", "销售属性名称", "颜色尺码"),
        "京东价": ("京东价(元)", "售价", "价格"), "商家SKU": ("商家SKU编码", "外部编码", "商家编码", "SKU商家编码"),
        "商品货号": ("款号", "商家货号"), "条形码": ("条码", "UPC编码", "商品条码"), "商品状态": ("状态", "上下柜状态")}),
    order_key="商品编号", rows=partial(item_rows, JD), doc="jd-items",
    quirks=("京东商家后台 商品管理 → 导出: one row per SKU, rows of one item share 商品编号; 库存 is not imported",
            "商家SKU (外部编码) is the SKU code; SKU编号 the platform SKU id of the listing; 京东价 the price",
            "类目 is a path (“个护化妆>面部护肤>乳液面霜”) or the columns 一级类目, 二级类目, 三级类目",
            "商品状态 上柜/在售 → on sale, 下柜/下架 → off sale; the listing's address is item.jd.com/<SKU编号>.html"))

DOUYIN = ItemLayout(
    prefix="DY", item_id="商品ID", title="商品名称", category="类目", sku_id="SKU ID", spec="规格",
    prices=("价格",), sku_code="商家编码", spu_code="商品编码", barcode="条码", status="商品状态", brand="品牌",
    url=lambda item, sku: f"https://haohuo.jinritemai.com/views/product/item2?id={item}")
DOUYIN_ITEMS = CatalogFormat(
    name="douyin-items", title=gettext_noop("Douyin shop product export"), channel="douyin", target="catalog",
    columns=_columns(DOUYIN, {
        "商品ID": ("商品id",), "商品名称": ("商品标题",), "类目": ("商品类目", "类目名称"),
        "SKU ID": ("SKUID", "skuId", "规格ID"), "规格": ("规格名称", "SKU规格", "销售属性"),
        "价格": ("售价", "价格(元)", "SKU价格", "售卖价"), "商家编码": ("SKU编码", "商家SKU编码", "外部编码", "SKU商家编码"),
        "商品编码": ("商品商家编码", "款号"), "条码": ("条形码", "商品条码"), "商品状态": ("状态",)}),
    order_key="商品ID", rows=partial(item_rows, DOUYIN), doc="douyin-items",
    quirks=("抖店 商品 → 商品管理 → 导出: one row per SKU, rows of one item share 商品ID; ids tab-prefixed, “-” for "
            "empty; 库存 is not imported",
            "商家编码 is the SKU code; SKU ID the platform SKU id; 规格 (“颜色:红;尺码:M” or “红色 M”) the attributes",
            "类目 is a path (“美妆>面部护肤>面霜”) or the columns 一级类目, 二级类目, 三级类目",
            "商品状态 在线/售卖中 → on sale, 已下架/下架 → off sale"))

PDD = ItemLayout(
    prefix="PDD", item_id="商品ID", title="商品名称", category="类目", sku_id="SKU ID", spec="规格",
    prices=("拼单价", "单买价"), sku_code="商家编码", spu_code="商品编码", barcode="条码", status="商品状态",
    brand="品牌", url=lambda item, sku: f"https://mobile.yangkeduo.com/goods.html?goods_id={item}")
PDD_ITEMS = CatalogFormat(
    name="pdd-items", title=gettext_noop("Pinduoduo product export"), channel="pdd", target="catalog",
    columns=_columns(PDD, {
        "商品ID": ("商品id", "商品编号", "goods_id"), "商品名称": ("商品标题",), "类目": ("商品类目", "分类"),
        "SKU ID": ("SKUID", "skuId", "规格ID", "规格编号"), "规格": ("规格名称", "SKU规格", "商品规格"),
        "拼单价": ("拼单价(元)", "团购价", "拼团价"), "单买价": ("单买价(元)", "单独购买价"),
        "商家编码": ("SKU编码", "商家编码-SKU维度", "SKU商家编码", "外部编码"),
        "商品编码": ("商家编码-商品维度", "商品商家编码", "款号"), "条码": ("条形码", "商品条码"), "商品状态": ("状态",)}),
    order_key="商品ID", rows=partial(item_rows, PDD), doc="pdd-items",
    quirks=("拼多多 商家后台 商品列表 → 导出: one row per SKU, rows of one item share 商品ID; 库存 is not imported",
            "商家编码 (SKU维度) is the SKU code; SKU ID the platform SKU id; 拼单价 the price (单买价 when 拼单价 is "
            "empty)",
            "类目 is a path (“美妆护肤>面部护理>乳液面霜”) or the columns 一级类目, 二级类目, 三级类目",
            "商品状态 在售中/上架 → on sale, 已下架/下架 → off sale"))

PLATFORM_ITEM_FORMATS = (JD_ITEMS, DOUYIN_ITEMS, PDD_ITEMS)
