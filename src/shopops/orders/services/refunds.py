"""Refunds written one at a time (a return's refund, docs/rules/returns.md#refund), under the order's row lock.

The order row is locked first (``select_for_update``: PostgreSQL blocks a second writer until the first commits;
SQLite's IMMEDIATE transactions serialise writers already), then its lines' money and counted refunds are read,
so a caller that decides an amount from :func:`order_refund_state` and writes it with :func:`refund_record` in
the same transaction sees every refund committed before it and none can slip in between. The ceilings of
``orders.domain`` hold again here: refunds never exceed a line's or the order's paid amount.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from shopops.core.clock import local_date
from shopops.core.errors import Conflict, FieldError, InvalidInput, NotFound
from shopops.core.models import Shop
from shopops.core.money import format_yuan_fen
from shopops.orders import selectors
from shopops.orders.domain import COUNTED_REFUND_STATUSES, order_fingerprint
from shopops.orders.models import Order, OrderLine, Refund
from shopops.orders.services.facts import facts_refresh_owe


@dataclass(frozen=True, slots=True)
class LineMoney:
    """One line of a locked order: its units, SKU and paid amount, and the counted refunds (successful or
    pending) recorded against it."""

    line_id: int
    index: int
    sku_id: int | None
    title: str
    qty: int
    paid_fen: int
    refunded_fen: int


@dataclass(frozen=True, slots=True)
class OrderRefundState:
    """A locked order's money: paid, counted refunds of the whole order (lines and order level), its lines."""

    order_id: int
    paid_fen: int
    refunded_fen: int
    lines: tuple[LineMoney, ...]

    @property
    def left_fen(self) -> int:
        return max(0, self.paid_fen - self.refunded_fen)


def order_refund_state(*, shop: Shop, order_id: int) -> OrderRefundState:
    """Lock the order (until the caller's transaction ends) and read its refund state. Call it inside
    ``transaction.atomic``; NotFound when the order is not the shop's."""
    order = Order.objects.select_for_update().filter(shop=shop, pk=order_id).values("pk", "paid_fen").first()
    if order is None:
        raise NotFound(_("No such order."))
    counted = Refund.objects.filter(order_id=order_id, status__in=COUNTED_REFUND_STATUSES)
    by_line = dict(counted.filter(line__isnull=False).values("line_id").annotate(s=Sum("amount_fen"))
                   .values_list("line_id", "s"))
    total = counted.aggregate(s=Sum("amount_fen"))["s"] or 0
    lines = tuple(
        LineMoney(pk, index, sku_id, title, qty, paid, by_line.get(pk, 0))
        for index, (pk, sku_id, title, qty, paid) in enumerate(
            OrderLine.objects.filter(order_id=order_id).order_by("pk").values_list(
                "pk", "sku_id", "title", "qty", "paid_fen")))
    return OrderRefundState(order["pk"], order["paid_fen"], total, lines)


@transaction.atomic
def refund_record(*, shop: Shop, order_id: int, line_id: int | None, refund_no: str, amount_fen: int, kind: str,
                  reason: str, at: dt.datetime) -> int:
    """Record a successful refund of ``amount_fen`` (of one line, or of the order) completed at ``at``; returns
    its id. Refused (InvalidInput, nothing written) when it would take the line's or the order's refunds above
    what was paid; Conflict when ``refund_no`` is used already. The order's refunded amount and fingerprint
    follow, and the lake's order facts of its paid date are owed (``facts_refresh_settle`` pays them)."""
    state = order_refund_state(shop=shop, order_id=order_id)
    errors = []
    if amount_fen <= 0:
        errors.append(FieldError("amount", _("A refund must be more than zero.")))
    if kind not in Refund.Kind.values:
        errors.append(FieldError("kind", _("Unknown refund type %(kind)s.") % {"kind": kind}))
    line = next((m for m in state.lines if m.line_id == line_id), None)
    if line_id is not None and line is None:
        errors.append(FieldError("line", _("This line is not a line of the order.")))
    if line is not None and line.refunded_fen + amount_fen > line.paid_fen:
        errors.append(FieldError("amount", _("Refunds of the line would exceed what it paid (%(paid)s).")
                                 % {"paid": format_yuan_fen(line.paid_fen)}))
    if amount_fen > state.left_fen:
        errors.append(FieldError("amount", _("Refunds of the order would exceed what it paid.")))
    if errors:
        raise InvalidInput(_("The refund was not recorded."), errors)
    if Refund.objects.filter(shop=shop, refund_no=refund_no).exists():
        raise Conflict(_("The refund number %(no)s is used already.") % {"no": refund_no})
    refund = Refund.objects.create(
        shop=shop, order_id=order_id, line_id=line_id, refund_no=refund_no, kind=kind, amount_fen=amount_fen,
        reason=reason if reason in Refund.Reason.values else "", status=Refund.Status.SUCCESS, requested_at=at,
        requested_date=local_date(at, shop.timezone), completed_at=at, completed_date=local_date(at, shop.timezone))
    Order.objects.filter(pk=order_id).update(refunded_fen=F("refunded_fen") + amount_fen)
    _refingerprint(shop, order_id)
    return refund.pk


def _refingerprint(shop: Shop, order_id: int) -> None:
    """Store the order's fingerprint with its new refund (a re-import of the same file stays "unchanged") and
    owe the lake its paid date."""
    account, number, paid_date = Order.objects.filter(pk=order_id).values_list(
        "channel_account_id", "order_no", "paid_date").get()
    stored = selectors.orders_as_inputs(shop=shop, channel_account_id=account, order_nos=[number])[number]
    Order.objects.filter(pk=order_id).update(fingerprint=order_fingerprint(stored))
    facts_refresh_owe(shop=shop, date_from=paid_date, date_to=paid_date)
