"""The platforms' after-sale exports (售后/退款 报表): one row = one after-sale of one order line, read into the
fields of a return (``target="returns"``, run by ``imports/returns_import.py``; docs/formats.md#returns).

Pure: each format says which header holds which field and how its status and kind texts read; ``draft`` turns a
converted row into the keyword arguments of ``service.services.ImportedReturn``. Layouts: docs/rules/returns.md
#imported-returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shopops.core.domain import MAX_LINE_QTY
from shopops.core.text import Text, gettext_noop
from shopops.imports.columns import Column, Kind
from shopops.imports.formats.base import Format, Record, RowProblem, Skip

# field → (kind, required) of every after-sale format; each format names the headers
FIELDS: dict[str, tuple[Kind, bool]] = {
    "external_no": ("id", True), "order_no": ("id", True), "seller_code": ("text", False), "title": ("text", False),
    "qty": ("int", False), "kind": ("text", False), "status": ("text", True), "reason_text": ("text", False),
    "amount": ("money", False), "requested_at": ("datetime", True), "completed_at": ("datetime", False),
    "logistics_company": ("text", False), "logistics_no": ("text", False), "reject_reason": ("text", False),
}


@dataclass(frozen=True)
class ReturnsFormat(Format):
    """An after-sale export: ``headers`` field → (header, aliases); ``statuses``/``kinds``: (text found in the
    cell, our status/kind) in the order they are tried (a kind of "" skips the row: not a return);
    ``default_kind`` when the file has no kind column or an empty cell."""

    headers: Mapping[str, tuple[str, tuple[str, ...]]] = ()  # type: ignore[assignment]
    statuses: tuple[tuple[str, str], ...] = ()
    kinds: tuple[tuple[str, str], ...] = ()
    default_kind: str = "return_refund"

    def column(self, name: str) -> str:
        return self.headers[name][0]

    def draft(self, record: Record) -> dict[str, object]:
        """The row's fields (raises RowProblem naming the column, Skip for a row that is no return)."""
        row = int(str(record["_row"]))
        values = {name: record.get(self.column(name)) for name in self.headers}
        kind_text = _text(values.get("kind"))
        kind = _lookup(kind_text, self.kinds) if kind_text else self.default_kind
        if kind is None:
            raise RowProblem(row, self.column("kind"), gettext_noop("unknown after-sale type “%(kind)s”",
                                                                   kind=kind_text))
        if not kind:
            raise Skip
        status_text = _text(values.get("status"))
        status = _lookup(status_text, self.statuses)
        if status is None:
            raise RowProblem(row, self.column("status"), gettext_noop("unknown after-sale status “%(status)s”",
                                                                     status=status_text))
        if status == "refunded" and kind == "exchange":
            status = "exchanged"
        qty, amount = values.get("qty"), values.get("amount")
        return {
            "row": row, "external_no": _text(values["external_no"]), "order_no": _text(values["order_no"]),
            "kind": kind, "status": status, "reason_text": _text(values.get("reason_text")),
            "requested_at": values["requested_at"], "seller_code": _text(values.get("seller_code")),
            "title": _text(values.get("title")), "qty": qty if isinstance(qty, int) else None,
            "amount_fen": amount if isinstance(amount, int) else None,
            "completed_at": values.get("completed_at") or None,
            "logistics_company": _text(values.get("logistics_company")),
            "logistics_no": _text(values.get("logistics_no")), "reject_reason": _text(values.get("reject_reason")),
            "columns": {"amount" if name == "amount" else name: header for name, (header, _a) in self.headers.items()},
        }


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _lookup(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    return next((value for needle, value in table if needle in text), None)


def _format(*, name: str, title: Text, channel: str, headers: dict[str, tuple[str, tuple[str, ...]]],
            statuses: tuple[tuple[str, str], ...], kinds: tuple[tuple[str, str], ...], quirks: tuple[str, ...],
            default_kind: str = "return_refund") -> ReturnsFormat:
    columns = tuple(Column(header, aliases=aliases, required=FIELDS[field][1], kind=FIELDS[field][0],
                           nullable=not FIELDS[field][1], unique=field == "external_no",
                           **({"minimum": 1, "maximum": MAX_LINE_QTY} if field == "qty" else
                              {"minimum": 0} if field == "amount" else {}))
                    for field, (header, aliases) in headers.items())
    return ReturnsFormat(name=name, title=title, channel=channel, target="returns", columns=columns,
                         quirks=quirks, doc="returns", headers=headers, statuses=statuses, kinds=kinds,
                         default_kind=default_kind)


_COMMON_QUIRKS = (
    "one row per after-sale of one order line; the after-sale number makes a re-import update, never duplicate",
    "the order must be imported first (same channel account); its line is found by 商家编码, else the order's only "
    "line, else its title",
    "the reason text is read into the taxonomy by keywords (docs/rules/returns.md#reasons), kept as the note",
    "no money and no stock move: refunds come with the order report, stock with the warehouse's records",
    "a row with an unknown status or type, an order not imported, more units than the line has or a refund above "
    "what the line paid is an error of its row (--skip-invalid imports the others)",
)

TAOBAO_REFUNDS = _format(
    name="taobao-refunds", title=gettext_noop("Taobao/Tmall refunds and after-sales (退款管理)"), channel="tmall",
    headers={
        "external_no": ("退款编号", ("退款单号", "售后单号")), "order_no": ("订单编号", ("主订单编号",)),
        "seller_code": ("商家编码", ("商品编码", "外部系统编号")), "title": ("宝贝标题", ("商品名称", "商品标题")),
        "qty": ("退货数量", ("数量",)), "kind": ("是否需要退货", ("售后类型", "退款类型")),
        "status": ("退款状态", ()), "reason_text": ("退款原因", ()),
        "amount": ("买家退款金额", ("退款金额", "申请退款金额")),
        "requested_at": ("退款的申请时间", ("申请时间", "退款申请时间")), "completed_at": ("退款完结时间", ("完结时间",)),
        "logistics_company": ("退货物流公司", ("物流公司",)), "logistics_no": ("退货运单号", ("退货物流单号", "运单号")),
        "reject_reason": ("卖家拒绝原因", ("拒绝原因",)),
    },
    statuses=(("退款成功", "refunded"), ("退款关闭", "rejected"), ("拒绝", "rejected"),
              ("等待卖家确认收货", "shipped"), ("等待买家退货", "approved"), ("等待卖家同意", "requested"),
              ("换货成功", "exchanged")),
    kinds=(("换货", "exchange"), ("仅退款", "refund_only"), ("退货退款", "return_refund"), ("否", "refund_only"),
           ("是", "return_refund")),
    quirks=(*_COMMON_QUIRKS, "是否需要退货: 是 → 退货退款, 否 → 仅退款; no 退货数量 column: every unit of the line"),
)

JD_AFTERSALE = _format(
    name="jd-aftersale", title=gettext_noop("JD after-sale service orders (售后服务单)"), channel="jd",
    headers={
        "external_no": ("服务单号", ("售后服务单号",)), "order_no": ("订单号", ("订单编号",)),
        "seller_code": ("商家编码", ("商品编号", "SKU编码")), "title": ("商品名称", ()),
        "qty": ("申请数量", ("数量",)), "kind": ("服务类型", ("售后类型",)), "status": ("服务单状态", ("状态",)),
        "reason_text": ("申请原因", ("问题描述", "售后原因")), "amount": ("退款金额", ("应退金额",)),
        "requested_at": ("申请时间", ("提交时间",)), "completed_at": ("完成时间", ("完结时间",)),
        "logistics_company": ("物流公司", ("快递公司",)), "logistics_no": ("运单号", ("快递单号",)),
        "reject_reason": ("审核意见", ("驳回原因",)),
    },
    statuses=(("审核不通过", "rejected"), ("驳回", "rejected"), ("已取消", "rejected"), ("待审核", "requested"),
              ("审核通过", "approved"), ("待客户发货", "approved"), ("待买家发货", "approved"),
              ("已发货", "shipped"), ("待收货", "shipped"), ("已收货", "received"), ("处理中", "received"),
              ("已完成", "refunded")),
    kinds=(("维修", ""), ("换货", "exchange"), ("仅退款", "refund_only"), ("退款", "refund_only"),
           ("退货", "return_refund")),
    quirks=(*_COMMON_QUIRKS, "服务类型 维修 (repairs) is no return: skipped; 已完成 is refunded (exchanged for 换货)"),
)

DOUYIN_AFTERSALE = _format(
    name="douyin-aftersale", title=gettext_noop("Douyin shop after-sales (抖店 售后)"), channel="douyin",
    headers={
        "external_no": ("售后单号", ("售后ID",)), "order_no": ("订单编号", ("主订单编号", "订单号")),
        "seller_code": ("商家编码", ("商品编码",)), "title": ("商品名称", ()), "qty": ("售后数量", ("商品数量",)),
        "kind": ("售后类型", ()), "status": ("售后状态", ()), "reason_text": ("售后原因", ("申请原因",)),
        "amount": ("退款金额", ("申请退款金额",)), "requested_at": ("申请时间", ("售后申请时间",)),
        "completed_at": ("售后完结时间", ("完结时间",)), "logistics_company": ("退货物流公司", ("物流公司",)),
        "logistics_no": ("退货物流单号", ("退货运单号",)), "reject_reason": ("拒绝原因", ("商家拒绝原因",)),
    },
    statuses=(("退款成功", "refunded"), ("已退款", "refunded"), ("换货成功", "exchanged"), ("关闭", "rejected"),
              ("拒绝", "rejected"), ("待商家收货", "shipped"), ("待买家退货", "approved"), ("待商家处理", "requested"),
              ("待商家审核", "requested")),
    kinds=(("换货", "exchange"), ("仅退款", "refund_only"), ("退货", "return_refund")),
    quirks=(*_COMMON_QUIRKS, "售后类型 已发货仅退款 / 未发货仅退款 are both 仅退款"),
)

RETURNS_FORMATS = (TAOBAO_REFUNDS, JD_AFTERSALE, DOUYIN_AFTERSALE)
