"""What a re-imported order keeps of the stored one: the file is the authority on what it states, the stored
order on what it does not state.

A platform's report re-imported (an export of ShopOps' own data, a corrected report) must not erase what it
cannot carry: most order exports have no refund column, no traffic source or promotion column, some no
buyer or address. So, for an order already stored:

* refunds: a file that states none (no refund column, an empty or zero amount) keeps the recorded refunds; an
  order-level amount equal to the recorded successful refunds keeps them too (the file agrees); another
  amount is a correction, and the file's refund replaces them;
* source, promotions, province, city: an empty value keeps the stored one; promotions given as one code that
  joins the stored ones (Shopify's ``Discount Code``) agree with them;
* status: a format that cannot tell two statuses apart (``Format.status_covers``) keeps the stored one;
* the buyer: ``members.services.customers_plan_orders``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from shopops.imports.formats.base import Format, LineDraft, OrderDraft, PlainOrder
from shopops.orders.domain import OrderInput, RefundInput
from shopops.orders.selectors import OrderHead

PROMOTIONS_JOINED = ", "  # how a format with one promotion column lists several (Shopify's Discount Code)


def plain_loses(order: PlainOrder, head: OrderHead, fmt: Format) -> bool:
    """Whether writing the common-shape ``order`` over the stored one would drop something the file does not
    contradict (its refunds, source, promotions, address, a status the format cannot tell): then it takes the
    draft way, where :func:`merged` keeps them."""
    return (head.has_refunds or bool(head.source) or bool(head.promotions)
            or (not order.province and bool(head.province)) or (not order.city and bool(head.city))
            or (order.status, head.status) in fmt.status_covers)


def draft_of_plain(order: PlainOrder) -> OrderDraft:
    """The draft ``build`` would have made of a common order (the same values, so the same fingerprint)."""
    specs = order.specs or ("",) * len(order.codes)
    lines = [LineDraft(code, title, unit, qty, row, spec=spec) for code, title, unit, qty, row, spec in zip(
        order.codes, order.titles, order.units, order.qtys, order.line_rows, specs, strict=True)]
    return OrderDraft(order_no=order.order_no, row=order.row, buyer_id=order.buyer, buyer_name=order.buyer,
                      placed_at=order.placed_at, paid_at=order.paid_at, status=order.status, paid_fen=order.paid_fen,
                      shipping_fen=order.shipping_fen, lines=lines, province=order.province, city=order.city,
                      rows=order.rows)


def merged(order: OrderInput, head: OrderHead | None, stored: OrderInput | None, fmt: Format) -> OrderInput:
    """``order`` as the file gives it, with what the file does not state taken from the stored order (``head``;
    ``stored``: the whole stored order, needed when it has refunds)."""
    if head is None:
        return order
    changes: dict[str, object] = {}
    if not order.source and head.source:
        changes["source"] = head.source
    if head.promotions and order.promotions != head.promotions and (
            not order.promotions or PROMOTIONS_JOINED.join(order.promotions) == PROMOTIONS_JOINED.join(head.promotions)):
        changes["promotions"] = head.promotions
    if not order.province and head.province:
        changes["province"] = head.province
    if not order.city and head.city:
        changes["city"] = head.city
    if (order.status, head.status) in fmt.status_covers:
        changes["status"] = head.status
    result = dataclasses.replace(order, **changes) if changes else order  # type: ignore[arg-type]
    if stored is not None and stored.refunds:
        kept = kept_refunds(result, stored.refunds)
        if kept != result.refunds:
            result = dataclasses.replace(result, refunds=kept)
    return result


def _success_fen(refunds: Sequence[RefundInput]) -> int:
    return sum(r.amount_fen for r in refunds if r.status == "success")


def kept_refunds(order: OrderInput, stored: Sequence[RefundInput]) -> tuple[RefundInput, ...]:
    """The refunds a re-imported order ends with: the stored ones unless the file states other ones. A stored
    refund of a line the file no longer has becomes an order-level refund; refunds that no longer fit what the
    file says was paid give way to the file's (the file corrected the order)."""
    stated = tuple(order.refunds)
    if stated and _success_fen(stated) != _success_fen(stored):
        return stated
    lines = len(order.lines)
    kept = tuple(r if r.line_index is None or r.line_index < lines else dataclasses.replace(r, line_index=None)
                 for r in stored)
    if dataclasses.replace(order, refunds=kept).problems():
        return stated
    return kept
