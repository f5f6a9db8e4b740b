"""Pure order rules: how an order's money adds up, and the sales summary definitions.

Definitions follow 生意参谋 (docs/rules/metrics.md#gmv, docs/rules/metrics.md#average-order-value): 支付金额 GMV is
what buyers paid, shipping included, refunds not deducted; 客单价 AOV = GMV / 支付买家数 (distinct paying buyers);
退款金额 is the amount of successful refunds by the date they completed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from shopops.core.domain import MAX_AMOUNT_FEN, MAX_LINE_QTY
from shopops.core.errors import FieldError
from shopops.core.money import allocate, allocate_groups, format_fen

IntOrArray = TypeVar("IntOrArray", int, np.ndarray)  # a rule of one order or, element-wise, of many


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


def allocate_discounts(discounts: Sequence[int], line_starts: Sequence[int], amounts: Sequence[int]) -> list[int]:
    """:func:`allocate_order_discount` for many orders at once (numpy, exact): order ``i``'s lines are
    ``amounts[line_starts[i]:line_starts[i + 1]]`` and its discount ``discounts[i]`` (0 ≤ discount ≤ its goods
    amount). The numbers of ``core.money.allocate``, computed by its vectorised form ``allocate_groups``."""
    if len(line_starts) != len(discounts) + 1 or any(
            hi <= lo for lo, hi in zip(line_starts, line_starts[1:], strict=False)):
        raise ValueError("every order needs at least one line")
    return allocate_groups(discounts, line_starts, amounts).tolist()


def order_discount_fen(goods_fen: IntOrArray, shipping_fen: IntOrArray, paid_fen: IntOrArray) -> IntOrArray:
    """An order's order-level discount: goods + shipping − paid.

    Exports give what the buyer paid (实付, shipping included) but not the order-level discount, so the
    discount is what brings goods + shipping down to the paid amount; it is then allocated to the lines
    (docs/rules/pricing.md#allocation-of-order-level-discounts). The same identity, goods − discount +
    shipping = paid, is the ``order_paid_adds_up`` check of the orders table. Works element-wise on numpy
    arrays too (a batch of orders).
    """
    return goods_fen + shipping_fen - paid_fen


def order_paid_fen(goods_fen: IntOrArray, shipping_fen: IntOrArray, discount_fen: IntOrArray) -> IntOrArray:
    """What the buyer paid for an order: goods − discount + shipping (docs/rules/metrics.md#gmv: 支付金额
    includes shipping). The identity of :func:`order_discount_fen` read the other way: it is symmetric in
    paid and discount, so this is that function with the two swapped (one rule, not a second copy)."""
    return order_discount_fen(goods_fen, shipping_fen, discount_fen)


def check_order(lines: Sequence[LineAmounts], shipping_fen: int, refunds_fen: Sequence[int] = ()) -> list[FieldError]:
    """Every reason this order's money does not add up (empty when it is consistent)."""
    errors: list[FieldError] = []
    if not lines:
        errors.append(FieldError("lines", "no lines"))
    for index, line in enumerate(lines):
        if line.qty <= 0:
            errors.append(FieldError(f"lines[{index}].qty", "quantity must be positive"))
        elif line.qty > MAX_LINE_QTY:
            errors.append(FieldError(f"lines[{index}].qty", f"quantity above {MAX_LINE_QTY:,}"))
        if line.unit_price_fen < 0:
            errors.append(FieldError(f"lines[{index}].unit_price", "price must not be negative"))
        elif line.unit_price_fen > MAX_AMOUNT_FEN:
            errors.append(FieldError(f"lines[{index}].unit_price", f"price above {format_fen(MAX_AMOUNT_FEN)}"))
        if line.discount_fen < 0 or line.discount_fen > max(line.amount_fen, 0):
            errors.append(FieldError(f"lines[{index}].discount", "discount outside 0..amount"))
    if shipping_fen < 0:
        errors.append(FieldError("shipping", "shipping must not be negative"))
    paid = order_paid_fen(sum(line.amount_fen for line in lines), shipping_fen,
                          sum(line.discount_fen for line in lines))
    if sum(refunds_fen) > paid:
        errors.append(FieldError("refunds", "refunds exceed what was paid"))
    return errors


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
    """An order line to write. ``sku_id`` None: not matched to a SKU yet (docs/rules/sku-matching.md); the
    export's own identifiers of the item are kept (``match_key``: catalog.domain.match_key of them) so a
    mapping can link it later. They are not part of the order's fingerprint."""

    sku_id: int | None
    title: str
    unit_price_fen: int
    qty: int
    discount_fen: int = 0
    # what the export said of the item: kept on the line, not compared (an order is the same order whatever
    # identifiers its export version gave; ``order_changes`` compares lines with ==)
    seller_code: str = field(default="", compare=False)
    platform_item_id: str = field(default="", compare=False)
    platform_sku_id: str = field(default="", compare=False)
    spec: str = field(default="", compare=False)
    match_key: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class RefundInput:
    refund_no: str
    line_index: int | None
    kind: str
    amount_fen: int
    reason: str
    status: str
    requested_at: dt.datetime  # aware
    completed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class OrderInput:
    """An order as a connector or the demo hands it over: ids resolved, money in fen."""

    order_no: str
    channel_account_id: int
    channel: str
    customer_id: int
    placed_at: dt.datetime  # aware
    paid_at: dt.datetime  # aware
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


@dataclass(slots=True)
class OrderBatch:
    """Orders of one channel account held column by column, as the column-wise import path hands them over:
    ids resolved, money in fen, discounts allocated; no refunds, promotions or traffic source (orders with
    those go as :class:`OrderInput`). Order ``i``'s lines are ``line_starts[i]:line_starts[i + 1]`` of the line
    columns. The same order as an :class:`OrderInput` (``order_input(i)``) has the same fingerprint."""

    channel_account_id: int
    channel: str
    order_no: list[str]
    customer_id: list[int]
    placed_at: list[dt.datetime]
    paid_at: list[dt.datetime]
    status: list[str]
    shipping_fen: list[int]
    province: list[str]
    city: list[str]
    line_starts: list[int]
    sku_id: list[int]
    title: list[str]
    unit_price_fen: list[int]
    qty: list[int]
    discount_fen: list[int]

    def __len__(self) -> int:
        return len(self.order_no)

    def lines_of(self, index: int) -> tuple[tuple[int, str, int, int, int], ...]:
        lo, hi = self.line_starts[index], self.line_starts[index + 1]
        return tuple(zip(self.sku_id[lo:hi], self.title[lo:hi], self.unit_price_fen[lo:hi], self.qty[lo:hi],
                         self.discount_fen[lo:hi], strict=True))

    def order_input(self, index: int) -> OrderInput:
        return OrderInput(
            order_no=self.order_no[index], channel_account_id=self.channel_account_id, channel=self.channel,
            customer_id=self.customer_id[index], placed_at=self.placed_at[index], paid_at=self.paid_at[index],
            status=self.status[index], lines=tuple(LineInput(*line) for line in self.lines_of(index)),
            shipping_fen=self.shipping_fen[index], province=self.province[index], city=self.city[index])

    def fingerprints(self, start: int = 0, stop: int | None = None) -> list[str]:
        """``order_fingerprint`` of orders ``start:stop`` (all by default)."""
        stop = len(self) if stop is None else min(stop, len(self))
        if start >= stop:
            return []
        account, channel = self.channel_account_id, self.channel
        starts = self.line_starts
        first = starts[start]
        lines = list(zip(*(column[first : starts[stop]] for column in (
            self.sku_id, self.title, self.unit_price_fen, self.qty, self.discount_fen)), strict=True))
        return [
            fingerprint_of(number, account, channel, customer, placed, paid, status, shipping, (), "", province,
                           city, tuple(lines[starts[i] - first : starts[i + 1] - first]))
            for i, number, customer, placed, paid, status, shipping, province, city in zip(
                range(start, stop), *(column[start:stop] for column in (
                    self.order_no, self.customer_id, self.placed_at, self.paid_at, self.status, self.shipping_fen,
                    self.province, self.city)), strict=True)
        ]

    def money(self) -> tuple[Any, Any, Any]:
        """numpy arrays: each line's amount (unit price × quantity), each order's goods amount and discount
        (the sums of its lines'); what was paid is ``order_paid_fen(goods, shipping, discount)``."""
        starts = np.asarray(self.line_starts, dtype=np.int64)
        amounts = np.asarray(self.unit_price_fen, dtype=np.int64) * np.asarray(self.qty, dtype=np.int64)
        if len(self) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return amounts, empty, empty
        goods = np.add.reduceat(amounts, starts[:-1])
        discount = np.add.reduceat(np.asarray(self.discount_fen, dtype=np.int64), starts[:-1])
        return amounts, goods, discount

    def money_ok(self) -> bool:
        """Every line sane (quantity positive, price not negative, discount within the amount) and no negative
        shipping: what ``OrderInput.problems`` checks, for the whole batch at once."""
        for qty, unit, discount in zip(self.qty, self.unit_price_fen, self.discount_fen, strict=True):
            if not 0 < qty <= MAX_LINE_QTY or not 0 <= unit <= MAX_AMOUNT_FEN or not 0 <= discount <= unit * qty:
                return False
        return all(shipping >= 0 for shipping in self.shipping_fen) and all(
            hi > lo for lo, hi in zip(self.line_starts, self.line_starts[1:], strict=False))


@dataclass(slots=True)
class InsertedOrders:
    """The orders of a batch an upsert inserted, with the ids they were given: what their lake facts need
    without reading them back. ``indexes`` are the batch's orders in id order (``order_ids``), ``line_ids`` their
    lines in the same order, ``paid_dates`` their local paid dates."""

    batch: OrderBatch
    indexes: list[int]
    order_ids: list[int]
    line_ids: list[int]
    paid_dates: list[dt.date]


FINGERPRINT_MARK = "v"  # the first character of a current fingerprint; older ones are plain SHA-256 hex
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def order_fingerprint(order: OrderInput) -> str:
    """A digest of everything an order says, so a re-import can tell "unchanged" from "corrected".

    SHA-256 over the ``repr`` of a tuple of the order's fields, its lines' and its refunds' (strings, ints,
    None and tuples only: ``repr`` is unambiguous for them, quotes and separators inside text are escaped),
    with instants as integer microseconds since the epoch in UTC (the same instant in another zone gives the
    same digest). Any change of any field changes the digest. Cheaper than the JSON form it replaced
    (:func:`legacy_order_fingerprint`, still recognised: :func:`fingerprint_matches`); marked with a leading
    ``v`` (63 hex digits follow) so the two are never confused.
    """
    return fingerprint_of(
        order.order_no, order.channel_account_id, order.channel, order.customer_id, order.placed_at,
        order.paid_at, order.status, order.shipping_fen, tuple(order.promotions), order.source,
        order.province, order.city,
        tuple((line.sku_id, line.title, line.unit_price_fen, line.qty, line.discount_fen) for line in order.lines),
        tuple((r.refund_no, r.line_index, r.kind, r.amount_fen, r.reason, r.status, _micros(r.requested_at),
               _micros(r.completed_at)) for r in order.refunds),
    )


def fingerprint_of(order_no: str, channel_account_id: int, channel: str, customer_id: int, placed_at: object,
                   paid_at: object, status: str, shipping_fen: int, promotions: tuple[str, ...], source: str,
                   province: str, city: str, lines: tuple[tuple[int | None, str, int, int, int], ...],
                   refunds: tuple[tuple[object, ...], ...] = ()) -> str:
    """:func:`order_fingerprint` from the fields themselves (the column-wise import path has no
    :class:`OrderInput`): ``lines`` as ``(sku_id, title, unit_price_fen, qty, discount_fen)``, ``refunds`` as
    ``(refund_no, line_index, kind, amount_fen, reason, status, requested µs, completed µs)``."""
    parts = (order_no, channel_account_id, channel, customer_id, _micros(placed_at), _micros(paid_at), status,
             shipping_fen, promotions, source, province, city, lines, refunds)
    return FINGERPRINT_MARK + hashlib.sha256(repr(parts).encode()).hexdigest()[:63]


def fingerprint_matches(stored: str, order: OrderInput, fingerprint: str) -> bool:
    """Whether a stored fingerprint says the same as ``order`` (whose current one is ``fingerprint``); a
    fingerprint stored by an older version (no mark) is compared in its own form, so upgrading does not turn
    a re-import of an unchanged file into updates."""
    if stored == fingerprint:
        return True
    return not stored.startswith(FINGERPRINT_MARK) and stored == legacy_order_fingerprint(order)


def legacy_order_fingerprint(order: OrderInput) -> str:
    """The first fingerprint form (SHA-256 hex of a JSON array), as stored by earlier imports."""
    parts = [
        order.order_no, order.channel_account_id, order.channel, order.customer_id, _instant(order.placed_at),
        _instant(order.paid_at), order.status, order.shipping_fen, list(order.promotions), order.source,
        order.province, order.city,
        [[line.sku_id, line.title, line.unit_price_fen, line.qty, line.discount_fen] for line in order.lines],
        [[r.refund_no, r.line_index, r.kind, r.amount_fen, r.reason, r.status, _instant(r.requested_at),
          _instant(r.completed_at)] for r in order.refunds],
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _micros(value: object) -> int | None:
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:  # as the legacy form read it: local time
        value = value.astimezone(dt.UTC)
    return (value - _EPOCH) // _MICROSECOND


def _instant(value: object) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if isinstance(value, dt.datetime) else None
