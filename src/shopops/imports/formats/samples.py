"""Realistic export files in each order format, written from a shop's own orders (``shopops export-sample``).

Each renderer reproduces the platform's quirks the importers must survive: GBK, ``="…"`` ids (Taobao),
tab-prefixed ids and ``-`` for empty (Douyin), ``¥`` and thousands separators, units in headers (PDD),
order fields only on the first row (Shopify). They write what the importer needs to reproduce the stored
orders wherever the platform's format has a column for it: the buyer's id on the channel, the refunded
amount (Taobao 退款金额, Shopify Refunded Amount), the traffic source (JD, Douyin, Shopify) and the
promotions (Shopify's Discount Code); what a format cannot carry a re-import keeps (imports.order_merge).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from shopops.core.money import allocate
from shopops.orders.domain import order_discount_fen


@dataclass(frozen=True, slots=True)
class SampleLine:
    sku_code: str
    title: str
    unit_price_fen: int
    qty: int


@dataclass(frozen=True, slots=True)
class SampleOrder:
    order_no: str
    buyer: str
    placed_at: dt.datetime
    paid_at: dt.datetime
    status: str  # ours: paid | shipped | completed | closed
    paid_fen: int
    shipping_fen: int
    lines: tuple[SampleLine, ...]
    province: str = ""
    city: str = ""
    source: str = ""
    refunded_fen: int = 0  # successful refunds (Taobao 退款金额, Shopify Refunded Amount)
    promotions: tuple[str, ...] = ()


def _yuan(fen: int, *, grouped: bool = False, prefix: str = "") -> str:
    text = f"{fen / 100:,.2f}" if grouped else f"{fen // 100}.{fen % 100:02d}"
    return prefix + text


def _local(moment: dt.datetime, tz: str = "Asia/Shanghai") -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


def _address(order: SampleOrder, masked: str) -> str:
    """A desensitised address as the platforms print it: province, city, the rest masked (an unknown part is
    left out, so that the city never reads as the province)."""
    return " ".join(part for part in (order.province, order.city, masked) if part)


TAOBAO_STATUS_TEXT = {"paid": "买家已付款，等待卖家发货", "shipped": "卖家已发货，等待买家确认", "completed": "交易成功",
                      "closed": "交易关闭"}
TAOBAO_HEADER = ["订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "总金额", "买家实际支付金额",
                 "订单状态", "收货地址 ", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝种类 ", "宝贝总数量", "店铺名称",
                 "退款金额"]
TAOBAO_ITEM_HEADER = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "订单状态", "商家编码"]


def taobao_rows(order: SampleOrder) -> list[list[str]]:
    goods = sum(line.unit_price_fen * line.qty for line in order.lines)
    return [[f'="{order.order_no}"', order.buyer, "", _yuan(goods), _yuan(order.shipping_fen),
             _yuan(goods + order.shipping_fen), _yuan(order.paid_fen), TAOBAO_STATUS_TEXT[order.status],
             _address(order, "****"), _local(order.placed_at), _local(order.paid_at),
             "，".join(line.title for line in order.lines), str(len(order.lines)),
             str(sum(line.qty for line in order.lines)), "ShopOps 旗舰店", _yuan(order.refunded_fen)]]


def taobao_item_rows(order: SampleOrder) -> list[list[str]]:
    return [[f'="{order.order_no}"', line.title, _yuan(line.unit_price_fen), str(line.qty), "", "",
             TAOBAO_STATUS_TEXT[order.status], line.sku_code] for line in order.lines]


JD_STATUS_TEXT = {"paid": "等待出库", "shipped": "等待确认收货", "completed": "完成", "closed": "已取消"}
JD_HEADER = ["订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间", "京东价", "订单金额", "应付金额", "订单状态",
             "下单帐号", "客户地址", "运费金额", "付款确认时间", "货号", "订单来源"]


def jd_rows(order: SampleOrder) -> list[list[str]]:
    goods = sum(line.unit_price_fen * line.qty for line in order.lines)
    return [[order.order_no, str(100000 + index), line.title, str(line.qty), "在线支付", _local(order.placed_at),
             _yuan(line.unit_price_fen), _yuan(goods + order.shipping_fen), _yuan(order.paid_fen),
             JD_STATUS_TEXT[order.status], order.buyer, _address(order, "***"),
             _yuan(order.shipping_fen), _local(order.paid_at), line.sku_code, order.source]
            for index, line in enumerate(order.lines)]


DOUYIN_STATUS_TEXT = {"paid": "待发货", "shipped": "已发货", "completed": "已完成", "closed": "已关闭"}
DOUYIN_HEADER = ["主订单编号", "子订单编号", "选购商品", "商品规格", "商品数量", "商家编码", "商品单价", "订单应付金额", "运费",
                 "买家昵称", "省", "市", "订单提交时间", "支付完成时间", "订单状态", "流量来源", "达人昵称"]


def douyin_rows(order: SampleOrder) -> list[list[str]]:
    goods = [line.unit_price_fen * line.qty for line in order.lines]
    pays = allocate(order.paid_fen - order.shipping_fen, goods) if sum(goods) else [0] * len(goods)
    ships = [order.shipping_fen] + [0] * (len(goods) - 1)
    return [[f"\t{order.order_no}", f"\t{order.order_no}{index + 1:02d}", line.title, "-", str(line.qty),
             line.sku_code, _yuan(line.unit_price_fen, grouped=True), _yuan(pay + ship, grouped=True),
             _yuan(ship), order.buyer, order.province or "-", order.city or "-", _local(order.placed_at),
             _local(order.paid_at), DOUYIN_STATUS_TEXT[order.status], order.source or "-", "-"]
            for index, (line, pay, ship) in enumerate(zip(order.lines, pays, ships, strict=True))]


PDD_STATUS_TEXT = {"paid": "待发货", "shipped": "已发货，待收货", "completed": "已收货", "closed": "已取消"}
PDD_HEADER = ["商品", "订单号", "订单状态", "商品总价(元)", "店铺优惠折扣(元)", "平台优惠折扣(元)", "邮费(元)",
              "用户实付金额(元)", "商品数量(件)", "收货人", "省", "市", "拼单成功时间", "支付时间", "商家编码-SKU维度"]


def pdd_rows(order: SampleOrder) -> list[list[str]]:
    line = order.lines[0]  # PDD orders hold one SKU
    total = line.unit_price_fen * line.qty
    discount = order_discount_fen(total, order.shipping_fen, order.paid_fen)
    return [[line.title, order.order_no, PDD_STATUS_TEXT[order.status], _yuan(total), _yuan(discount), "0.00",
             _yuan(order.shipping_fen), _yuan(order.paid_fen), str(line.qty), order.buyer, order.province,
             order.city, _local(order.placed_at), _local(order.paid_at), line.sku_code]]


SHOPIFY_STATUS_TEXT = {"paid": "paid", "shipped": "paid", "completed": "paid", "closed": "refunded"}
SHOPIFY_HEADER = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Currency", "Subtotal",
                  "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Created at", "Lineitem quantity",
                  "Lineitem name", "Lineitem price", "Lineitem sku", "Billing Province", "Billing City", "Source"]
SHOPIFY_SAMPLE_HEADER = [*SHOPIFY_HEADER, "Refunded Amount"]


def _shopify_status(order: SampleOrder) -> str:
    if order.refunded_fen and order.status != "closed":
        return "partially_refunded"
    return SHOPIFY_STATUS_TEXT[order.status]


def shopify_rows(order: SampleOrder) -> list[list[str]]:
    """Name is the order number as stored (a Shopify number keeps its ``#``), Email the buyer's id on the channel
    as recorded: the importer's keys."""
    goods = sum(line.unit_price_fen * line.qty for line in order.lines)
    stamp = "%Y-%m-%d %H:%M:%S %z"
    rows = []
    for index, line in enumerate(order.lines):
        head = index == 0
        rows.append([
            order.order_no, order.buyer if head else "",
            _shopify_status(order) if head else "",
            order.paid_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime(stamp) if head else "",
            ("fulfilled" if order.status in ("shipped", "completed") else "unfulfilled") if head else "",
            "CNY" if head else "", _yuan(goods) if head else "", _yuan(order.shipping_fen) if head else "",
            "0.00" if head else "", _yuan(order.paid_fen) if head else "",
            ", ".join(order.promotions) if head else "",
            _yuan(order_discount_fen(goods, order.shipping_fen, order.paid_fen)) if head else "",
            order.placed_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime(stamp) if head else "",
            str(line.qty), line.title, _yuan(line.unit_price_fen), line.sku_code,
            order.province if head else "", order.city if head else "", order.source if head else "",
            _yuan(order.refunded_fen) if head and order.refunded_fen else ""])
    return rows


@dataclass(frozen=True)
class SampleWriter:
    header: Sequence[str]
    rows: Callable[[SampleOrder], list[list[str]]]
    encoding: str
    accepts: Callable[[SampleOrder], bool] = lambda order: True
    item_header: Sequence[str] = ()
    item_rows: Callable[[SampleOrder], list[list[str]]] | None = None


SAMPLE_WRITERS: dict[str, SampleWriter] = {
    "taobao-orders": SampleWriter(TAOBAO_HEADER, taobao_rows, "gbk", item_header=TAOBAO_ITEM_HEADER,
                                  item_rows=taobao_item_rows),
    "jd-orders": SampleWriter(JD_HEADER, jd_rows, "gbk"),
    "douyin-orders": SampleWriter(DOUYIN_HEADER, douyin_rows, "utf-8-sig"),
    "pdd-orders": SampleWriter(PDD_HEADER, pdd_rows, "gbk", accepts=lambda order: len(order.lines) == 1),
    "shopify-orders": SampleWriter(SHOPIFY_SAMPLE_HEADER, shopify_rows, "utf-8"),
}


def items_path_for(path: str | Path) -> Path:
    """Where the Taobao item report goes next to its order report: ``orders.csv`` → ``orders.items.csv``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.items{path.suffix or '.csv'}")


def write_order_sample(format_name: str, path: str | Path, orders: Iterable[SampleOrder]) -> dict[str, object]:
    """Write ``orders`` in the format (and the item report for Taobao); returns rows written and files."""
    writer = SAMPLE_WRITERS[format_name]
    path = Path(path)
    rows = items = 0
    item_file = items_path_for(path) if writer.item_rows else None
    with path.open("w", encoding=writer.encoding, newline="", errors="replace") as out:
        item_out = item_file.open("w", encoding=writer.encoding, newline="", errors="replace") if item_file else None
        try:
            main, extra = csv.writer(out), csv.writer(item_out) if item_out else None
            main.writerow(writer.header)
            if extra is not None:
                extra.writerow(writer.item_header)
            for order in orders:
                if not writer.accepts(order):
                    continue
                for row in writer.rows(order):
                    main.writerow(row)
                    rows += 1
                if extra is not None and writer.item_rows is not None:
                    for row in writer.item_rows(order):
                        extra.writerow(row)
                        items += 1
        finally:
            if item_out is not None:
                item_out.close()
    return {"format": format_name, "file": str(path), "rows": rows,
            "items_file": str(item_file) if item_file else None, "item_rows": items}
