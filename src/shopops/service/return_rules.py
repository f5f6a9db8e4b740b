"""Returns and exchanges (售后): kinds, the reasons taxonomy and the status flow (docs/rules/returns.md).
Pure: no Django; texts marked with ``gettext_noop`` and said by the faces."""

from __future__ import annotations

from shopops.core.text import Text, gettext_noop, listing

REFUND_ONLY = "refund_only"  # 仅退款: the buyer keeps the goods (or never got them)
RETURN_REFUND = "return_refund"  # 退货退款
EXCHANGE = "exchange"  # 换货: the goods come back, a replacement goes out
KINDS: dict[str, Text] = {
    REFUND_ONLY: gettext_noop("Refund only"),
    RETURN_REFUND: gettext_noop("Return and refund"),
    EXCHANGE: gettext_noop("Exchange"),
}

REQUESTED, APPROVED, REJECTED = "requested", "approved", "rejected"
SHIPPED, RECEIVED, REFUNDED, EXCHANGED = "shipped", "received", "refunded", "exchanged"
STATUSES: dict[str, Text] = {
    REQUESTED: gettext_noop("Requested"),
    APPROVED: gettext_noop("Approved"),
    REJECTED: gettext_noop("Rejected"),
    SHIPPED: gettext_noop("Returned by the buyer"),
    RECEIVED: gettext_noop("Received and inspected"),
    REFUNDED: gettext_noop("Refunded"),
    EXCHANGED: gettext_noop("Exchanged"),
}
FINAL = frozenset({REJECTED, REFUNDED, EXCHANGED})

# docs/rules/returns.md#reasons: the platforms' common 售后 reasons; the codes shared with orders' refund reasons
# (orders.models.Refund.Reason) are spelled the same, so a refund created by a return keeps its reason.
REASONS: dict[str, Text] = {
    "no_reason_7d": gettext_noop("7-day no-reason return"),
    "size": gettext_noop("Size or fit"),
    "quality": gettext_noop("Quality problem"),
    "not_as_described": gettext_noop("Not as described"),
    "wrong_item": gettext_noop("Wrong item sent"),
    "missing_item": gettext_noop("Missing items"),
    "damaged": gettext_noop("Damaged in transit"),
    "changed_mind": gettext_noop("Changed mind"),
    "other": gettext_noop("Other"),
}

SELLABLE, DEFECTIVE = "sellable", "defective"
CONDITIONS: dict[str, Text] = {SELLABLE: gettext_noop("Sellable"), DEFECTIVE: gettext_noop("Defective")}


def next_statuses(kind: str, status: str) -> tuple[str, ...]:
    """Where a return of ``kind`` may go from ``status`` (docs/rules/returns.md#flow): 仅退款 is refunded once
    approved; 退货退款 and 换货 wait for the goods (shipped back, received and inspected) first."""
    if status == REQUESTED:
        return (APPROVED, REJECTED)
    if status == APPROVED:
        return (REFUNDED,) if kind == REFUND_ONLY else (SHIPPED, RECEIVED)
    if status == SHIPPED:
        return (RECEIVED,)
    if status == RECEIVED:
        return (EXCHANGED,) if kind == EXCHANGE else (REFUNDED,)
    return ()


def transition_problem(kind: str, status: str, target: str) -> Text | None:
    """Why a return of ``kind`` in ``status`` cannot become ``target`` (None when it can)."""
    if target in next_statuses(kind, status):
        return None
    if status in FINAL:
        return gettext_noop("This return is %(status)s already; nothing more can be done with it.",
                            status=STATUSES[status])
    allowed = next_statuses(kind, status)
    return gettext_noop("A return that is %(status)s cannot become %(target)s; next: %(allowed)s.",
                        status=STATUSES[status], target=STATUSES[target],
                        allowed=listing([STATUSES[s] for s in allowed]))


# docs/rules/returns.md#imported-returns: how far along the flow a status is, so a re-import of an older export
# never moves a return back; the final ones are equal (a platform does not reopen them)
STATUS_RANK = {REQUESTED: 0, APPROVED: 1, SHIPPED: 2, RECEIVED: 3, REJECTED: 4, REFUNDED: 4, EXCHANGED: 4}

# the platforms' free-text reasons → the taxonomy's code (the first keyword found wins; nothing found: other)
REASON_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("no_reason_7d", ("七天无理由", "7天无理由", "七天无理由退换货")),
    ("size", ("尺码", "尺寸", "大小不合适", "偏大", "偏小")),
    ("wrong_item", ("发错", "错发", "商家发错")),
    ("missing_item", ("少件", "漏发", "缺件", "少发", "未收到货")),
    ("damaged", ("破损", "损坏", "压坏", "污渍")),
    ("quality", ("质量", "做工", "瑕疵", "故障")),
    ("not_as_described", ("描述不符", "与描述", "与商品描述", "色差", "材质不符", "假冒", "品牌不符")),
    ("changed_mind", ("不想要", "拍错", "多拍", "不喜欢", "买错", "协商一致")),
)


def reason_code_of(text: str) -> str:
    """The taxonomy's code of a platform's reason text (``other`` when no keyword matches)."""
    value = (text or "").strip()
    if value in REASONS:
        return value
    for code, needles in REASON_KEYWORDS:
        if any(needle in value for needle in needles):
            return code
    return "other"
