"""The order formats of the platforms' back-offices (docs/rules/platforms.md lists their columns).

Each ``build_*`` turns the rows of one order into an :class:`OrderDraft`. Platform amounts are taken at
face value and checked: the paid amount must not exceed goods + shipping (the discount would be negative)
and lines are never below zero. Column names are the Chinese export headers; aliases cover export versions.
"""

from __future__ import annotations

from collections.abc import Sequence

from shopops.core.domain import MAX_AMOUNT_FEN, MAX_LINE_QTY
from shopops.core.text import gettext_noop
from shopops.imports.columns import Column
from shopops.imports.formats.base import (
    Format,
    LineDraft,
    OrderDraft,
    PlainOrder,
    Record,
    RefundDraft,
    RowProblem,
    Skip,
    first,
    split_address,
    status_from,
    text,
)
from shopops.orders.domain import order_discount_fen

MONEY0 = {"kind": "money", "minimum": 0, "maximum": MAX_AMOUNT_FEN}  # no order or line of a shop is more
ANONYMOUS_BUYER = "(anonymous)"  # the 21-column Taobao report names no buyer


def _row(records: Sequence[Record]) -> int:
    return int(records[0]["_row"])


def _rows(records: Sequence[Record]) -> tuple[int, ...]:
    return tuple(int(r["_row"]) for r in records)


def _paid_at(records: Sequence[Record], paid_column: str, placed_column: str) -> object:
    """Payment time; reports without one (the 21-column Taobao report) fall back to creation time."""
    return first(records, paid_column) or first(records, placed_column)


def _check_money(draft: OrderDraft) -> OrderDraft:
    if not draft.lines:
        raise RowProblem(draft.row, "lines", gettext_noop("the order has no item lines"))
    goods = 0
    for line in draft.lines:
        goods += line.unit_price_fen * line.qty
    discount = order_discount_fen(goods, draft.shipping_fen, draft.paid_fen)
    if discount < 0:
        raise RowProblem(draft.row, draft.paid_column, gettext_noop(
            "paid %(paid)s exceeds goods plus shipping %(goods)s",
            paid=f"{draft.paid_fen / 100:.2f}", goods=f"{(goods + draft.shipping_fen) / 100:.2f}"))
    if discount > goods:
        raise RowProblem(draft.row, draft.paid_column,
                         gettext_noop("the discount exceeds the goods amount (paid less than shipping)"))
    _check_refunds(draft)
    return draft


def _check_refunds(draft: OrderDraft) -> None:
    """Refunds never exceed what was paid (docs/rules/pricing.md#refund-ceiling): the row is rejected
    naming the refund column, never written."""
    if not draft.refunds:
        return
    refunded = sum(r.amount_fen for r in draft.refunds if r.status in ("success", "pending"))
    if refunded > draft.paid_fen:
        raise RowProblem(
            draft.refund_row or draft.row, draft.refund_column or "refunds",
            gettext_noop("the refund %(refunded)s exceeds what was paid (%(paid)s)",
                         refunded=f"{refunded / 100:.2f}", paid=f"{draft.paid_fen / 100:.2f}"))


# ------------------------------------------------------------------------------------------ Taobao / Tmall

TAOBAO_STATUS = {
    "等待买家付款": "skip", "交易关闭": "closed", "交易成功": "completed", "卖家已发货": "shipped",
    "等待卖家发货": "paid", "买家已付款": "paid", "部分发货": "shipped",
}

TAOBAO_COLUMNS = (
    Column("订单编号", required=True, kind="id", nullable=False, unique=True),
    Column("买家会员名", aliases=("买家昵称",)),
    Column("买家应付邮费", aliases=("邮费",), **MONEY0),
    Column("买家实际支付金额", aliases=("买家实付金额",), required=True, nullable=False, **MONEY0),
    Column("订单状态", required=True, nullable=False),
    Column("收货地址"),
    Column("订单创建时间", required=True, kind="datetime", nullable=False),
    Column("订单付款时间", kind="datetime"),
    Column("宝贝标题", aliases=("商品标题",)),
    Column("宝贝总数量", kind="int", minimum=1),
    Column("商家编码", aliases=("商品商家编码",)),
    Column("店铺名称"),
    Column("退款金额", **MONEY0),
)
TAOBAO_ITEM_COLUMNS = (
    Column("订单编号", required=True, kind="id", nullable=False),
    Column("标题", aliases=("宝贝标题", "商品标题")),
    Column("价格", aliases=("单价",), required=True, nullable=False, **MONEY0),
    Column("购买数量", required=True, kind="int", nullable=False, minimum=1, maximum=MAX_LINE_QTY),
    Column("商家编码", aliases=("商品商家编码",)),
    Column("外部系统编号"),
    Column("商品属性", aliases=("销售属性",)),
)
NO_ITEM_CODE = gettext_noop("the item line has no seller SKU code (商家编码)")
NO_REPORT_CODE = gettext_noop("the order report has no SKU codes: import it with its item report (--items FILE)")
MUST_NOT_BE_EMPTY = gettext_noop("must not be empty")


def build_taobao(records: Sequence[Record], items: Sequence[Record]) -> OrderDraft:
    head = records[0]
    row = int(head["_row"])
    if len(records) > 1:
        raise RowProblem(int(records[1]["_row"]), "订单编号",
                         gettext_noop("order %(order)s appears twice", order=head["订单编号"]))
    status = status_from(head.get("订单状态"), TAOBAO_STATUS, row, "订单状态")
    paid_at = head.get("订单付款时间")
    if paid_at is None:
        if status == "closed":  # 交易关闭 without a payment: never a sale
            raise Skip
        paid_at = head["订单创建时间"]
    lines = []
    for item in items:
        code = item.get("商家编码") or item.get("外部系统编号")
        lines.append(LineDraft(str(code or ""), str(item.get("标题") or ""), int(item["价格"]), int(item["购买数量"]),
                               int(item["_row"]), spec=text(item, "商品属性"), code_column="商家编码",
                               missing_code=NO_ITEM_CODE))
    shipping = int(head.get("买家应付邮费") or 0)
    paid = int(head["买家实际支付金额"])
    if not lines:
        qty = int(head.get("宝贝总数量") or 1)
        # One line, priced so that the order adds up: the report gives no list price per unit.
        unit = -(-(paid - shipping) // qty) if paid > shipping else 0
        lines.append(LineDraft(str(head.get("商家编码") or ""), str(head.get("宝贝标题") or ""), unit, qty, row,
                               code_column="商家编码", missing_code=NO_REPORT_CODE))
    province, city = split_address(head.get("收货地址"))
    buyer = str(head.get("买家会员名") or ANONYMOUS_BUYER)
    order_no = str(head["订单编号"])
    return _check_money(OrderDraft(
        order_no=order_no, row=row, buyer_id=buyer, buyer_name=buyer,
        placed_at=head["订单创建时间"], paid_at=paid_at, status=status, paid_fen=paid,
        shipping_fen=shipping, lines=lines, province=province, city=city,
        refunds=order_refund(order_no, head.get("退款金额"), paid_at),
        paid_column="买家实际支付金额", rows=(row, *(int(i["_row"]) for i in items)) if items else (row,),
        refund_column="退款金额", refund_row=row))


_TAOBAO_STATUS_CACHE: dict[object, str | None] = {}
_ADDRESS_CACHE: dict[object, tuple[str, str]] = {}


def _taobao_status(text: object) -> str | None:
    """``status_from`` for the Taobao table, remembered per text; None for skipped and unknown statuses."""
    try:
        return _TAOBAO_STATUS_CACHE[text]
    except KeyError:
        pass
    try:
        status: str | None = status_from(text, TAOBAO_STATUS, 0, "订单状态")
    except (Skip, RowProblem):
        status = None
    if len(_TAOBAO_STATUS_CACHE) < 1000:
        _TAOBAO_STATUS_CACHE[text] = status
    return status


def _address(text: object) -> tuple[str, str]:
    found = _ADDRESS_CACHE.get(text)
    if found is None:
        found = split_address(text)
        if len(_ADDRESS_CACHE) < 100_000:
            _ADDRESS_CACHE[text] = found
    return found


def plain_taobao(records: Sequence[Record], items: Sequence[Record]) -> PlainOrder | None:
    """What :func:`build_taobao` makes of a common order, as a :class:`PlainOrder` (no draft objects), or
    None when the order is anything else — duplicated, skipped, unknown status, a line without SKU code, money
    that does not add up, a refund — and ``build_taobao`` must decide. tests/imports/test_order_imports.py
    checks that both agree."""
    if len(records) != 1:
        return None
    head = records[0]
    get = head.get
    status = _taobao_status(get("订单状态"))
    if status is None:
        return None
    paid_at = get("订单付款时间")
    if paid_at is None:
        if status == "closed":
            return None
        paid_at = head["订单创建时间"]
    if get("退款金额"):
        return None
    shipping = get("买家应付邮费") or 0
    paid = head["买家实际支付金额"]
    row = head["_row"]
    if items:
        codes, titles, units, qtys, rows, specs = [], [], [], [], [], []
        for item in items:
            item_get = item.get
            code = item_get("商家编码") or item_get("外部系统编号")
            if not code:
                return None
            codes.append(str(code))
            titles.append(str(item_get("标题") or ""))
            units.append(item["价格"])
            qtys.append(item["购买数量"])
            rows.append(item["_row"])
            specs.append(text(item, "商品属性"))
        goods = 0
        for unit, qty in zip(units, qtys, strict=True):
            goods += unit * qty
        line = (tuple(codes), tuple(titles), tuple(units), tuple(qtys), tuple(rows), (row, *rows), tuple(specs))
    else:
        code = get("商家编码")
        if not code:
            return None
        qty = get("宝贝总数量") or 1
        unit = -(-(paid - shipping) // qty) if paid > shipping else 0
        goods = unit * qty
        line = ((str(code),), (str(get("宝贝标题") or ""),), (unit,), (qty,), (row,), (row,), ("",))
    discount = order_discount_fen(goods, shipping, paid)
    if discount < 0 or discount > goods:
        return None
    province, city = _address(get("收货地址"))
    buyer = str(get("买家会员名") or ANONYMOUS_BUYER)
    return PlainOrder(str(head["订单编号"]), row, buyer, head["订单创建时间"], paid_at, status, paid, shipping,
                      province, city, *line)


def order_refund(order_no: str, amount: object, at: object) -> list[RefundDraft]:
    """The order-level refund an export reports (退款金额, Shopify's Refunded Amount) as one successful
    refund, or none when the amount is empty or zero. Reports give neither a refund time nor a reason: the
    payment time stands in (the refund counts on the order's business date), the reason stays empty. The
    refund number is derived from the order number, so a re-import of a corrected report replaces it."""
    fen = int(amount or 0)
    if fen <= 0:
        return []
    return [RefundDraft(refund_no=f"{order_no}-R1", amount_fen=fen, status="success", requested_at=at,
                        completed_at=at)]


TAOBAO_ORDERS = Format(
    name="taobao-orders", title=gettext_noop("Taobao/Tmall order report"),
    channel="tmall", target="orders", columns=TAOBAO_COLUMNS, order_key="订单编号", build=build_taobao,
    item_columns=TAOBAO_ITEM_COLUMNS, plain=plain_taobao,
    quirks=("GBK CSV from 千牛; headers with trailing spaces (“收货地址 ”, “订单付款时间 ”)",
            "订单编号 as =\"…\" to keep Excel from rounding it",
            "classic 44-column and newer 21-column reports (买家实际支付金额 → 买家实付金额)",
            "SKU codes come from the item report (--items, ExportOrderDetailList: 订单编号, 标题, 价格, 购买数量, "
            "商家编码); the newer report names no buyer and no payment time (creation time is used)",
            "等待买家付款 and 交易关闭 without payment are not sales: skipped",
            "退款金额 (Tianchi order report) becomes one successful refund dated at payment; on re-import an empty or "
            "zero amount, or one equal to the recorded refunds, keeps them, another amount replaces them, and a "
            "refund above the paid amount rejects the row"),
)

# ------------------------------------------------------------------------------------------------- JD

JD_STATUS = {"等待付款": "skip", "已取消": "closed", "锁定": "paid", "等待出库": "paid", "等待发货": "paid",
             "等待确认收货": "shipped", "已发货": "shipped", "完成": "completed", "已完成": "completed"}

JD_COLUMNS = (
    Column("订单号", aliases=("订单编号",), required=True, kind="id", nullable=False),
    Column("商品ID", aliases=("商品编号", "SKU"), kind="id"),
    Column("货号", aliases=("商家SKU", "商家编码")),
    Column("商品名称"),
    Column("订购数量", aliases=("商品数量",), required=True, kind="int", nullable=False, minimum=1, maximum=MAX_LINE_QTY),
    Column("京东价", aliases=("商品单价",), required=True, nullable=False, **MONEY0),
    Column("应付金额", required=True, nullable=False, **MONEY0),
    Column("运费金额", aliases=("运费",), **MONEY0),
    Column("下单时间", required=True, kind="datetime", nullable=False),
    Column("付款确认时间", aliases=("付款时间",), kind="datetime"),
    Column("订单状态", required=True, nullable=False),
    Column("下单帐号", aliases=("下单账号", "用户账号")),
    Column("客户地址", aliases=("收货地址",)),
    Column("订单来源"),
)


def build_jd(records: Sequence[Record], items: Sequence[Record]) -> OrderDraft:
    """JD: one row per item; 应付金额 and 运费金额 are order-level and repeated on each row (taken once)."""
    row = _row(records)
    status = status_from(first(records, "订单状态"), JD_STATUS, row, "订单状态")
    lines = []
    for record in records:
        code = record.get("货号") or record.get("商品ID")
        lines.append(LineDraft(str(code or ""), str(record.get("商品名称") or ""), int(record["京东价"]),
                               int(record["订购数量"]), int(record["_row"]), platform_sku_id=text(record, "商品ID"),
                               code_column="货号", missing_code=gettext_noop("no 货号 or 商品ID to match a SKU")))
    province, city = split_address(first(records, "客户地址"))
    buyer = str(first(records, "下单帐号") or ANONYMOUS_BUYER)
    return _check_money(OrderDraft(
        order_no=str(records[0]["订单号"]), row=row, buyer_id=buyer, buyer_name=buyer,
        placed_at=records[0]["下单时间"], paid_at=_paid_at(records, "付款确认时间", "下单时间"), status=status,
        paid_fen=int(first(records, "应付金额") or 0), shipping_fen=int(first(records, "运费金额") or 0),
        lines=lines, province=province, city=city, source=str(first(records, "订单来源") or "")[:40],
        paid_column="应付金额", rows=_rows(records)))


JD_ORDERS = Format(
    name="jd-orders", title=gettext_noop("JD seller order export"), channel="jd",
    target="orders", columns=JD_COLUMNS, order_key="订单号", build=build_jd,
    quirks=("one row per item; 应付金额 (what the buyer pays, incl. freight) and 运费金额 repeat on each row",
            "货号 is the seller's code; 商品ID (JD SKU id) is used when 货号 is empty"),
)

# --------------------------------------------------------------------------------------------- Douyin

DOUYIN_STATUS = {"待支付": "skip", "已关闭": "closed", "已取消": "closed", "备货中": "paid", "待发货": "paid",
                 "已发货": "shipped", "已完成": "completed", "已签收": "completed"}

DOUYIN_COLUMNS = (
    Column("主订单编号", required=True, kind="id", nullable=False),
    Column("子订单编号", kind="id", unique=True),
    Column("选购商品", aliases=("商品名称",)),
    Column("商家编码", required=True),
    Column("商品ID", kind="id"),
    Column("商品规格"),
    Column("商品数量", required=True, kind="int", nullable=False, minimum=1, maximum=MAX_LINE_QTY),
    Column("商品单价", required=True, nullable=False, **MONEY0),
    Column("订单应付金额", required=True, nullable=False, **MONEY0),
    Column("运费", **MONEY0),
    Column("订单提交时间", required=True, kind="datetime", nullable=False),
    Column("支付完成时间", kind="datetime"),
    Column("订单状态", required=True, nullable=False),
    Column("买家昵称", aliases=("用户昵称", "收件人")),
    Column("省"),
    Column("市"),
    Column("流量来源", aliases=("流量渠道",)),
    Column("达人昵称"),
)


def build_douyin(records: Sequence[Record], items: Sequence[Record]) -> OrderDraft:
    """抖店: one row per 子订单; 订单应付金额 is the sub-order's payable (its share of freight included)."""
    row = _row(records)
    status = status_from(first(records, "订单状态"), DOUYIN_STATUS, row, "订单状态")
    lines = [LineDraft(text(r, "商家编码"), str(r.get("选购商品") or ""), int(r["商品单价"]), int(r["商品数量"]),
                       int(r["_row"]), platform_item_id=text(r, "商品ID"), spec=text(r, "商品规格"),
                       code_column="商家编码", missing_code=MUST_NOT_BE_EMPTY) for r in records]
    buyer = str(first(records, "买家昵称") or ANONYMOUS_BUYER)
    source = str(first(records, "流量来源") or "")
    if first(records, "达人昵称"):
        source = source or "达人"
    return _check_money(OrderDraft(
        order_no=str(records[0]["主订单编号"]), row=row, buyer_id=buyer, buyer_name=buyer,
        placed_at=records[0]["订单提交时间"], paid_at=_paid_at(records, "支付完成时间", "订单提交时间"),
        status=status, paid_fen=sum(int(r["订单应付金额"]) for r in records),
        shipping_fen=sum(int(r.get("运费") or 0) for r in records), lines=lines,
        province=str(first(records, "省") or "")[:20], city=str(first(records, "市") or "")[:40],
        source=source[:40], paid_column="订单应付金额", rows=_rows(records)))


DOUYIN_ORDERS = Format(
    name="douyin-orders", title=gettext_noop("Douyin shop order export"), channel="douyin",
    target="orders", columns=DOUYIN_COLUMNS, order_key="主订单编号", build=build_douyin,
    quirks=("ids tab-prefixed (\"\\t6917…\"); “-” means empty; thousands separators in amounts",
            "one row per 子订单 grouped by 主订单编号; PII as ##密文 is kept as text, never decoded"),
)

# ----------------------------------------------------------------------------------------------- PDD

PDD_STATUS = {"待支付": "skip", "未支付": "skip", "已取消": "closed", "待发货": "paid", "已发货": "shipped",
              "待收货": "shipped", "已收货": "completed", "已签收": "completed", "交易成功": "completed"}

PDD_COLUMNS = (
    Column("订单号", required=True, kind="id", nullable=False, unique=True),
    Column("商品", aliases=("商品名称",)),
    Column("商家编码-SKU维度", aliases=("商家编码", "SKU编码"), required=True),
    Column("商品ID", aliases=("商品id",), kind="id"),
    Column("商品规格", aliases=("规格",)),
    Column("商品数量(件)", aliases=("商品数量",), required=True, kind="int", nullable=False, minimum=1, maximum=MAX_LINE_QTY),
    Column("商品总价(元)", aliases=("商品总价",), required=True, nullable=False, **MONEY0),
    Column("邮费(元)", aliases=("邮费",), **MONEY0),
    Column("用户实付金额(元)", aliases=("用户实付金额", "实收金额"), required=True, nullable=False, **MONEY0),
    Column("订单状态", required=True, nullable=False),
    Column("拼单成功时间", aliases=("成交时间", "订单成交时间"), required=True, kind="datetime", nullable=False),
    Column("支付时间", kind="datetime"),
    Column("收货人", aliases=("买家",)),
    Column("省"),
    Column("市"),
)


def build_pdd(records: Sequence[Record], items: Sequence[Record]) -> OrderDraft:
    """PDD: one row per order (one SKU); the unit price is 商品总价 / 数量 (the remainder goes to discount)."""
    head = records[0]
    row = int(head["_row"])
    status = status_from(head.get("订单状态"), PDD_STATUS, row, "订单状态")
    qty = int(head["商品数量(件)"])
    total = int(head["商品总价(元)"])
    unit = -(-total // qty)  # round up so the line covers the total; the difference becomes discount
    buyer = str(head.get("收货人") or ANONYMOUS_BUYER)
    return _check_money(OrderDraft(
        order_no=str(head["订单号"]), row=row, buyer_id=buyer, buyer_name=buyer, placed_at=head["拼单成功时间"],
        paid_at=head.get("支付时间") or head["拼单成功时间"], status=status,
        paid_fen=int(head["用户实付金额(元)"]), shipping_fen=int(head.get("邮费(元)") or 0),
        lines=[LineDraft(text(head, "商家编码-SKU维度"), str(head.get("商品") or ""), unit, qty, row,
                         platform_item_id=text(head, "商品ID"), spec=text(head, "商品规格"),
                         code_column="商家编码-SKU维度", missing_code=MUST_NOT_BE_EMPTY)],
        province=str(head.get("省") or "")[:20], city=str(head.get("市") or "")[:40],
        paid_column="用户实付金额(元)", rows=(row,)))


PDD_ORDERS = Format(
    name="pdd-orders", title=gettext_noop("Pinduoduo order export"), channel="pdd",
    target="orders", columns=PDD_COLUMNS, order_key="订单号", build=build_pdd,
    # The layout and how thin its public sources are: docs/rules/platforms.md#pinduoduo-order-export.
    quirks=("one row per order; headers carry units (“商品总价(元)”)",
            "public sources for the layout are thin: aliases cover the variants seen"),
)

# ------------------------------------------------------------------------------------------- Shopify

SHOPIFY_STATUS = {"pending": "skip", "authorized": "skip", "voided": "skip", "partially_refunded": "paid",
                  "refunded": "closed", "partially_paid": "paid", "paid": "paid"}

SHOPIFY_COLUMNS = (
    Column("Name", required=True, kind="id", nullable=False),
    Column("Email"),
    Column("Financial Status", required=True),
    Column("Fulfillment Status"),
    Column("Paid at", kind="datetime"),
    Column("Created at", required=True, kind="datetime"),
    Column("Currency"),
    Column("Shipping", **MONEY0),
    Column("Taxes", **MONEY0),
    Column("Total", **MONEY0),
    Column("Discount Code"),
    Column("Lineitem quantity", required=True, kind="int", nullable=False, minimum=1, maximum=MAX_LINE_QTY),
    Column("Lineitem name"),
    Column("Lineitem price", required=True, nullable=False, **MONEY0),
    Column("Lineitem sku", required=True),
    Column("Billing Province", aliases=("Shipping Province",)),
    Column("Billing City", aliases=("Shipping City",)),
    Column("Source"),
    Column("Refunded Amount", **MONEY0),
)


def build_shopify(records: Sequence[Record], items: Sequence[Record], *,
                  currency: str = "CNY") -> OrderDraft:
    """Shopify orders_export.csv: one row per line item, order fields only on the first row.

    ``Total`` includes taxes; when prices exclude tax (Subtotal + Shipping + Taxes − discount = Total) the
    tax is not sales revenue and is left out of the paid amount.
    """
    row = _row(records)
    head = records[0]
    status_text = str(first(records, "Financial Status") or "")
    status = status_from(status_text, SHOPIFY_STATUS, row, "Financial Status")
    if status == "paid" and (first(records, "Fulfillment Status") or "") == "fulfilled":
        status = "shipped"
    found_currency = str(first(records, "Currency") or currency)
    if found_currency.upper() != currency.upper():
        raise RowProblem(row, "Currency", gettext_noop("currency %(found)s differs from the shop's %(currency)s",
                                                       found=found_currency, currency=currency))
    if head.get("Created at") is None:
        raise RowProblem(row, "Created at", gettext_noop("the first row of an order must carry its fields"))
    lines = [LineDraft(text(r, "Lineitem sku"), str(r.get("Lineitem name") or ""), int(r["Lineitem price"]),
                       int(r["Lineitem quantity"]), int(r["_row"]), code_column="Lineitem sku",
                       missing_code=MUST_NOT_BE_EMPTY) for r in records]
    total = int(first(records, "Total") or 0)
    taxes = int(first(records, "Taxes") or 0)
    shipping = int(first(records, "Shipping") or 0)
    goods = sum(line.unit_price_fen * line.qty for line in lines)
    paid = total - taxes if taxes and total - taxes <= goods + shipping else total
    email = str(first(records, "Email") or ANONYMOUS_BUYER)
    code = first(records, "Discount Code")
    return _check_money(OrderDraft(
        order_no=str(head["Name"]), row=row, buyer_id=email, buyer_name=email.split("@")[0],
        placed_at=head["Created at"], paid_at=first(records, "Paid at") or head["Created at"], status=status,
        paid_fen=paid, shipping_fen=shipping, lines=lines,
        province=str(first(records, "Billing Province") or "")[:20],
        city=str(first(records, "Billing City") or "")[:40], source=str(first(records, "Source") or "")[:40],
        promotions=(str(code),) if code else (), paid_column="Total", rows=_rows(records),
        refunds=order_refund(str(head["Name"]), _shopify_refund(first(records, "Refunded Amount"), paid, total),
                             first(records, "Paid at") or head["Created at"]),
        refund_column="Refunded Amount", refund_row=row))


def _shopify_refund(refunded: object, paid: int, total: int) -> int:
    """Refunded Amount includes the tax a tax-exclusive order charged, which is not in the paid amount: a
    refund up to Total is capped at what was paid; one above Total is an error (rejected by _check_refunds)."""
    fen = int(refunded or 0)
    return min(fen, paid) if fen <= total else fen


SHOPIFY_ORDERS = Format(
    name="shopify-orders", title=gettext_noop("Shopify orders_export.csv"),
    channel="shopify", target="orders", columns=SHOPIFY_COLUMNS, order_key="Name", build=build_shopify,
    quirks=("UTF-8 CSV, one row per line item; order-level fields only on the first row of each order",
            "Total includes taxes; tax-exclusive prices leave the tax out of the paid amount",
            "the currency must be the shop's currency (no silent conversion)",
            "Refunded Amount becomes one successful refund dated at payment (on re-import: the recorded refunds are "
            "kept when it is empty or equal to them, replaced when it differs)",
            "no completed state: a re-import leaves a completed order completed"),
    status_covers=(("shipped", "completed"),),
)

ORDER_FORMATS = (TAOBAO_ORDERS, JD_ORDERS, DOUYIN_ORDERS, PDD_ORDERS, SHOPIFY_ORDERS)
