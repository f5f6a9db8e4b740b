"""Returns from the platforms' after-sale exports (taobao-refunds, jd-aftersale, douyin-aftersale), created or
updated idempotently by the platform's after-sale number (docs/rules/returns.md#imported-returns).

An imported return is the platform's record: its kind, reason, status, units, logistics and the amount the
platform refunded. It claims its units (a manual return cannot take them again) and counts in the figures by
reason and SKU; it moves no money and no stock: the money the platforms refunded comes with the order reports
(退款金额, one home for imported refunds), the stock with the warehouse's own records. A re-import of the same file
changes nothing; a newer export moves a return forward, never back. A new return still in progress opens or
joins its order's 退换货 ticket (a settled one needs no work).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shopops.core.clock import local_date
from shopops.core.errors import FieldError
from shopops.core.models import Shop, User
from shopops.core.money import format_yuan_fen
from shopops.core.services import audit_record
from shopops.orders import selectors as order_selectors
from shopops.service import return_rules as rules
from shopops.service.models import ReturnLine, ReturnReason, ReturnRequest
from shopops.service.services.return_tickets import return_ticket_ensure
from shopops.service.services.returns import return_reasons_ensure, units_claimed


@dataclass(frozen=True, slots=True)
class ImportedReturn:
    """One row of an after-sale export, read and converted (money in fen, aware times). ``qty`` None: every
    unit of the line; ``amount_fen`` None: not stated; ``columns`` names the file's column of each field, for
    the row's errors."""

    row: int
    external_no: str
    order_no: str
    kind: str
    status: str
    reason_text: str
    requested_at: dt.datetime
    seller_code: str = ""
    title: str = ""
    qty: int | None = None
    amount_fen: int | None = None
    completed_at: dt.datetime | None = None
    logistics_company: str = ""
    logistics_no: str = ""
    reject_reason: str = ""
    columns: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass
class ReturnsImported:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[FieldError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)


def _line_of(lines: list[Any], record: ImportedReturn) -> tuple[int, Any] | None:
    """(index, order line) a row is about: by seller code (the line's or its SKU's), else the only line, else
    the one line with the row's title."""
    indexed = list(enumerate(lines))
    code = record.seller_code.strip()
    if code:
        found = [(i, line) for i, line in indexed if code in (line.seller_code, line.sku.sku_code if line.sku else "")]
        if len(found) == 1:
            return found[0]
    if len(lines) == 1:
        return indexed[0]
    titled = [(i, line) for i, line in indexed if record.title and line.title == record.title]
    return titled[0] if len(titled) == 1 else None


def _problem(record: ImportedReturn, name: str, message: str) -> FieldError:
    return FieldError(record.columns.get(name, name), message, record.row)


def returns_import(*, shop: Shop, channel_account_id: int, channel: str, records: Sequence[ImportedReturn],
                   skip_invalid: bool = False, dry_run: bool = False, actor: User | None = None) -> ReturnsImported:
    """Create or update the file's returns in one transaction. Every row is checked first (its order imported
    already, its line found, its units and amount within the line's); without ``skip_invalid`` one bad row
    writes nothing, with it the good rows are written. ``dry_run``: check and count only."""
    reasons = {r.code: r for r in return_reasons_ensure(shop=shop)}
    heads = order_selectors.order_heads(shop=shop, channel_account_id=channel_account_id,
                                        order_nos=[r.order_no for r in records])
    stored = {r.external_no: r for r in ReturnRequest.objects.filter(
        shop=shop, channel=channel, external_no__in=[r.external_no for r in records]).prefetch_related("lines")}
    out = ReturnsImported()
    plans: list[tuple[ImportedReturn, int, int, Any]] = []
    claims: dict[int, dict[int, int]] = {}  # order → line → units claimed by live returns and the file's rows
    for record in records:
        head = heads.get(record.order_no)
        if head is None:
            out.errors.append(_problem(record, "order_no", _("No such order of this channel account: import the "
                                                            "order report first.")))
            continue
        order = order_selectors.order_detail(shop=shop, pk=head.pk)
        lines = list(order.lines.all()) if order is not None else []
        found = _line_of(lines, record)
        if found is None:
            out.errors.append(_problem(record, "seller_code", _("No line of order %(no)s has this seller code or "
                                                               "title.") % {"no": record.order_no}))
            continue
        index, line = found
        qty = record.qty if record.qty is not None else line.qty
        claimed = claims.setdefault(head.pk, units_claimed(head.pk, exclude=[r.pk for r in stored.values()]))
        if not 1 <= qty <= line.qty - claimed.get(line.pk, 0):
            out.errors.append(_problem(record, "qty", _("The line has %(n)s units, %(claimed)s of them in other "
                                                        "returns.") % {"n": line.qty, "claimed": claimed.get(line.pk, 0)}))
            continue
        if record.amount_fen is not None and record.amount_fen > line.paid_fen:
            out.errors.append(_problem(record, "amount", _("The refund exceeds what the line paid (%(paid)s).")
                                       % {"paid": format_yuan_fen(line.paid_fen)}))
            continue
        if record.status != rules.REJECTED:
            claimed[line.pk] = claimed.get(line.pk, 0) + qty
        plans.append((record, head.pk, index, line))
    out.bad_rows = {e.row for e in out.errors if e.row}
    if out.errors and not skip_invalid:
        return out
    with transaction.atomic():
        for record, order_id, index, line in plans:
            outcome = _write(shop, channel, record, order_id, index, line, reasons, stored.get(record.external_no),
                             actor)
            setattr(out, outcome, getattr(out, outcome) + 1)
        if dry_run:
            transaction.set_rollback(True)
    return out


def _values(record: ImportedReturn, reason: ReturnReason) -> dict[str, object]:
    return {"kind": record.kind, "status": record.status, "reason_id": reason.pk, "note": record.reason_text[:500],
            "reject_reason": record.reject_reason[:500], "logistics_company": record.logistics_company[:60],
            "logistics_no": record.logistics_no[:60], "completed_at": record.completed_at,
            "refunded_fen": (record.amount_fen or 0) if record.status == rules.REFUNDED else 0}


def _write(shop: Shop, channel: str, record: ImportedReturn, order_id: int, index: int, line: Any,
           reasons: dict[str, ReturnReason], found: ReturnRequest | None, actor: User | None) -> str:
    reason = reasons[rules.reason_code_of(record.reason_text)]
    values = _values(record, reason)
    qty = record.qty if record.qty is not None else line.qty
    amount = record.amount_fen or 0
    if found is None:
        request = ReturnRequest.objects.create(
            shop=shop, order_id=order_id, channel=channel, external_no=record.external_no,
            requested_at=record.requested_at, requested_date=local_date(record.requested_at, shop.timezone),
            **values)
        ReturnLine.objects.create(shop=shop, request=request, order_line_id=line.pk, line_index=index,
                                  sku_id=line.sku_id, title=line.title[:200], qty=qty, amount_fen=amount,
                                  refunded_fen=request.refunded_fen)
        _audit(request, "return.import.create", actor)
        if request.status not in rules.FINAL:  # still to be handled: its ticket
            return_ticket_ensure(shop=shop, request=request, actor=actor)
        return "inserted"
    if rules.STATUS_RANK[record.status] < rules.STATUS_RANK[found.status]:
        return "unchanged"  # an older export: the stored return is further along
    current = {name: getattr(found, name) for name in values}
    stored_line = found.lines.all()[0] if found.lines.all() else None
    same_line = stored_line is not None and (stored_line.qty, stored_line.amount_fen) == (qty, amount)
    if current == values and same_line:
        return "unchanged"
    if found.status in rules.FINAL:
        return "unchanged"  # a platform does not reopen a final return; one decided in ShopOps stays as decided
    for name, value in values.items():
        setattr(found, name, value)
    found.save(update_fields=list(values))
    if stored_line is not None:
        stored_line.qty, stored_line.amount_fen = qty, amount
        stored_line.refunded_fen = found.refunded_fen
        stored_line.save(update_fields=["qty", "amount_fen", "refunded_fen"])
    _audit(found, "return.import.update", actor)
    return "updated"


def _audit(request: ReturnRequest, action: str, actor: User | None) -> None:
    audit_record(action=action, object_type="return", object_id=request.pk, shop=request.shop, actor=actor,
                 object_repr=str(request), changes={"status": request.status, "external_no": request.external_no})

