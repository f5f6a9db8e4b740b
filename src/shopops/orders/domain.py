"""Pure order rules: how an order's money adds up, and the sales summary definitions.

Definitions follow 生意参谋 (domain-rules.md §2): 支付金额 GMV is what buyers paid, shipping included,
refunds not deducted; 客单价 AOV = GMV / 支付买家数 (distinct paying buyers); 退款金额 is the amount of
successful refunds by the date they completed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from shopops.core.errors import FieldError
from shopops.core.money import allocate, divide_half_up


@dataclass(frozen=True, slots=True)
class LineAmounts:
    unit_price_fen: int
    qty: int
    discount_fen: int = 0

    @property
    def amount_fen(self) -> int:
        return self.unit_price_fen * self.qty

    @property
    def paid_fen(self) -> int:
        return self.amount_fen - self.discount_fen


def allocate_order_discount(discount_fen: int, lines: Sequence[LineAmounts]) -> list[int]:
    """Spread an order-level discount over lines in proportion to their amounts (largest remainder).

    A line is never discounted below zero: the discount may not exceed the goods amount.
    """
    goods = sum(line.amount_fen for line in lines)
    if discount_fen < 0 or discount_fen > goods:
        raise ValueError("discount must lie between 0 and the goods amount")
    return allocate(discount_fen, [line.amount_fen for line in lines])


def check_order(lines: Sequence[LineAmounts], shipping_fen: int, refunds_fen: Sequence[int] = ()) -> list[FieldError]:
    """Every reason this order's money does not add up (empty when it is consistent)."""
    errors: list[FieldError] = []
    if not lines:
        errors.append(FieldError("lines", "no lines"))
    for index, line in enumerate(lines):
        if line.qty <= 0:
            errors.append(FieldError(f"lines[{index}].qty", "quantity must be positive"))
        if line.unit_price_fen < 0:
            errors.append(FieldError(f"lines[{index}].unit_price", "price must not be negative"))
        if line.discount_fen < 0 or line.discount_fen > max(line.amount_fen, 0):
            errors.append(FieldError(f"lines[{index}].discount", "discount outside 0..amount"))
    if shipping_fen < 0:
        errors.append(FieldError("shipping", "shipping must not be negative"))
    paid = sum(line.paid_fen for line in lines) + shipping_fen
    if sum(refunds_fen) > paid:
        errors.append(FieldError("refunds", "refunds exceed what was paid"))
    return errors


@dataclass(frozen=True, slots=True)
class SalesSummary:
    """Key numbers of a period. ``aov_fen`` is None when nobody bought."""

    gmv_fen: int  # 支付金额
    orders: int  # 支付订单数
    buyers: int  # 支付买家数 (distinct, recomputed for the whole period, never summed over days)
    refund_fen: int  # 成功退款金额

    @property
    def aov_fen(self) -> int | None:  # 客单价
        return divide_half_up(self.gmv_fen, self.buyers)


def change_rate(current: float | int | None, previous: float | int | None) -> float | None:
    """Relative change vs a previous value (None when there is no base to compare with)."""
    if current is None or previous in (None, 0):
        return None
    return (current - previous) / previous


COUNTED_REFUND_STATUSES = ("success", "pending")


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    """What an idempotent write did: a re-import of the same file is all ``unchanged``."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class LineInput:
    sku_id: int
    title: str
    unit_price_fen: int
    qty: int
    discount_fen: int = 0


@dataclass(frozen=True, slots=True)
class RefundInput:
    refund_no: str
    line_index: int | None
    kind: str
    amount_fen: int
    reason: str
    status: str
    requested_at: object  # aware datetime
    completed_at: object | None


@dataclass(frozen=True, slots=True)
class OrderInput:
    """An order as a connector or the demo hands it over: ids resolved, money in fen."""

    order_no: str
    channel_account_id: int
    channel: str
    customer_id: int
    placed_at: object  # aware datetime
    paid_at: object  # aware datetime
    status: str
    lines: tuple[LineInput, ...]
    shipping_fen: int = 0
    promotions: tuple[str, ...] = ()
    source: str = ""
    province: str = ""
    city: str = ""
    refunds: tuple[RefundInput, ...] = ()

    def line_amounts(self) -> list[LineAmounts]:
        return [LineAmounts(line.unit_price_fen, line.qty, line.discount_fen) for line in self.lines]

    def problems(self) -> list[FieldError]:
        """Money that does not add up. Only refunds that count (successful or still pending) are held
        against what was paid: a rejected request followed by a successful one is normal."""
        live = [r for r in self.refunds if r.status in COUNTED_REFUND_STATUSES]
        errors = check_order(self.line_amounts(), self.shipping_fen, [r.amount_fen for r in live])
        paid_by_line = [line.paid_fen for line in self.line_amounts()]
        refunded_by_line: dict[int, int] = {}
        for index, refund in enumerate(self.refunds):
            if refund.amount_fen <= 0:
                errors.append(FieldError(f"refunds[{index}].amount", "refund amount must be positive"))
            if refund.status == "success" and refund.completed_at is None:
                errors.append(FieldError(f"refunds[{index}].completed_at", "a successful refund needs its completion time"))
            if refund.line_index is None:
                continue
            if not 0 <= refund.line_index < len(self.lines):
                errors.append(FieldError(f"refunds[{index}].line", "no such line"))
            elif refund.status in COUNTED_REFUND_STATUSES:
                total = refunded_by_line.get(refund.line_index, 0) + refund.amount_fen
                refunded_by_line[refund.line_index] = total
                if total > paid_by_line[refund.line_index]:
                    errors.append(FieldError(f"refunds[{index}].amount", "refunds exceed the line's paid amount"))
        return errors


def order_fingerprint(order: OrderInput) -> str:
    """A digest of everything an order says, so a re-import can tell "unchanged" from "corrected"."""
    parts = [
        order.order_no, order.channel_account_id, order.channel, order.customer_id, _instant(order.placed_at),
        _instant(order.paid_at), order.status, order.shipping_fen, list(order.promotions), order.source,
        order.province, order.city,
        [[line.sku_id, line.title, line.unit_price_fen, line.qty, line.discount_fen] for line in order.lines],
        [[r.refund_no, r.line_index, r.kind, r.amount_fen, r.reason, r.status, _instant(r.requested_at),
          _instant(r.completed_at)] for r in order.refunds],
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _instant(value: object) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if isinstance(value, dt.datetime) else None
