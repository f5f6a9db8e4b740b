"""Returns and exchanges (售后): request → approve | reject → shipped back → received and inspected → refunded |
exchanged (docs/rules/returns.md#flow). Each step is atomic, audited, and a step the flow does not allow is a
Conflict saying what may come next.

Money: a refund is an ``orders`` refund made by ``orders.services.refund_record`` under the order's row lock
(``order_refund_state``), for at most what ``service.refundable`` allows at that moment, so two requests racing
for the same units cannot both refund them (tests/service/test_returns_race.py). Stock: received units go back
through the inventory ledger (``stock_move``, type ``return``) to a sellable location or the inactive
defective one; an exchange's replacement is reserved and shipped (committed) through inventory's reservations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from shopops.catalog.selectors import sku_by_code
from shopops.core.clock import local_date
from shopops.core.clock import now as clock_now
from shopops.core.errors import Conflict, FieldError, InvalidInput, NotFound
from shopops.core.i18n import say
from shopops.core.models import Shop, User
from shopops.core.money import format_yuan_fen
from shopops.core.services import audit_record
from shopops.inventory import services as inventory
from shopops.orders import selectors as order_selectors
from shopops.orders import services as order_services
from shopops.service import return_rules as rules
from shopops.service.models import ReturnLine, ReturnReason, ReturnRequest
from shopops.service.refundable import LineState, refundable_fen
from shopops.service.services.return_tickets import return_ticket_ensure

MAX_NOTE = 500
REASON_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
LIVE = [s for s in rules.STATUSES if s != rules.REJECTED]  # returns that claim their units


@dataclass(frozen=True, slots=True)
class ReturnLineInput:
    """Units of one order line to return. ``amount_fen`` None: what is refundable now; ``exchange_sku``: the
    replacement's SKU code for an exchange (empty: the same SKU)."""

    line_id: int
    qty: int
    amount_fen: int | None = None
    exchange_sku: str = ""


def return_reasons_ensure(*, shop: Shop) -> list[ReturnReason]:
    """The shop's reasons, the built-in taxonomy (``return_rules.REASONS``) seeded on first use."""
    have = set(ReturnReason.objects.filter(shop=shop).values_list("code", flat=True))
    missing = [ReturnReason(shop=shop, code=code, builtin=True, position=(index + 1) * 10)
               for index, code in enumerate(rules.REASONS) if code not in have]
    if missing:
        ReturnReason.objects.bulk_create(missing, ignore_conflicts=True)
    return list(ReturnReason.objects.filter(shop=shop))


def return_reason_create(*, shop: Shop, code: str, name: str, actor: User | None = None) -> ReturnReason:
    """A reason of the shop's own beside the built-in ones (its name shown as typed, in every language)."""
    code, name = (code or "").strip(), (name or "").strip()
    errors = []
    if not REASON_CODE.fullmatch(code):
        errors.append(FieldError("code", _("Use 1 to 40 lower-case letters, digits, “-” or “_”.")))
    elif ReturnReason.objects.filter(shop=shop, code=code).exists() or code in rules.REASONS:
        errors.append(FieldError("code", _("This reason code is used already.")))
    if not name or len(name) > 60:
        errors.append(FieldError("name", _("Name it in 1 to 60 characters.")))
    if errors:
        raise InvalidInput(_("The reason was not added."), errors)
    with transaction.atomic():
        reason = ReturnReason.objects.create(shop=shop, code=code, name=name, position=1000)
        audit_record(action="return_reason.create", object_type="return_reason", object_id=reason.pk, shop=shop,
                     actor=actor, object_repr=name, changes={"code": code})
    return reason


def _reason(shop: Shop, code: str) -> ReturnReason:
    found = ReturnReason.objects.filter(shop=shop, code=(code or "").strip(), active=True).first()
    if found is None:
        return_reasons_ensure(shop=shop)
        found = ReturnReason.objects.filter(shop=shop, code=(code or "").strip(), active=True).first()
    if found is None:
        raise InvalidInput(_("Unknown return reason %(code)s.") % {"code": code},
                           [FieldError("reason", _("Choose one of: %(codes)s.") % {"codes": ", ".join(
                               ReturnReason.objects.filter(shop=shop, active=True).values_list("code", flat=True))})])
    return found


def units_claimed(order_id: int, *, exclude: Collection[int] = ()) -> dict[int, int]:
    """order line id → units that live returns (not rejected) of the order claim, but the ``exclude``d ones."""
    rows = ReturnLine.objects.filter(request__order_id=order_id, request__status__in=LIVE, order_line__isnull=False)
    if exclude:
        rows = rows.exclude(request_id__in=list(exclude))
    return dict(rows.values("order_line_id").annotate(s=Sum("qty")).values_list("order_line_id", "s"))


def _units_refunded(order_id: int) -> dict[int, int]:
    """order line id → units already refunded by returns."""
    rows = ReturnLine.objects.filter(request__order_id=order_id, refunded_fen__gt=0, order_line__isnull=False)
    return dict(rows.values("order_line_id").annotate(s=Sum("qty")).values_list("order_line_id", "s"))


def _line_state(state: order_services.OrderRefundState, line: order_services.LineMoney,
                units_refunded: Mapping[int, int]) -> LineState:
    return LineState(qty=line.qty, paid_fen=line.paid_fen, units_refunded=units_refunded.get(line.line_id, 0),
                     refunded_fen=line.refunded_fen, order_left_fen=state.left_fen)


@dataclass(frozen=True, slots=True)
class ReturnableLine:
    """One order line as the new-return form shows it: units no live return claims and the most those units
    may refund now (``refundable_fen`` of them; 0 when no unit is left)."""

    line_id: int
    sku_id: int | None
    title: str
    qty: int
    paid_fen: int
    units_left: int
    refundable_fen: int


def returnable_lines(*, shop: Shop, order_id: int) -> list[ReturnableLine]:
    """What a new return of the order may take, line by line, read under the order's lock the way
    ``return_request`` decides it (NotFound when the order is not the shop's)."""
    with transaction.atomic():
        state = order_services.order_refund_state(shop=shop, order_id=order_id)
        claimed, refunded = units_claimed(order_id), _units_refunded(order_id)
        out = []
        for line in state.lines:
            left = line.qty - claimed.get(line.line_id, 0)
            most = refundable_fen(_line_state(state, line, refunded), left) if left > 0 else 0
            out.append(ReturnableLine(line.line_id, line.sku_id, line.title, line.qty, line.paid_fen, max(0, left),
                                      most))
    return out


def return_request(*, shop: Shop, order_id: int, kind: str, reason: str, lines: Sequence[ReturnLineInput],
                   note: str = "", external_no: str = "", at: dt.datetime | None = None,
                   actor: User | None = None) -> tuple[ReturnRequest, bool]:
    """Open a return of some units of an order's lines; returns (request, created). With ``external_no`` (the
    platform's 售后单号) it is idempotent: the same number again returns the stored request. Refused, nothing
    written, when a line is not the order's, asks more units than no other live return claims, or more money
    than is refundable (docs/rules/returns.md#refundable-amount). A new request opens or joins its order's 退换货
ticket (``return_tickets``)."""
    at = at or clock_now()
    external_no = (external_no or "").strip()[:64]
    errors: list[FieldError] = []
    if kind not in rules.KINDS:
        errors.append(FieldError("kind", _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(rules.KINDS)}))
    if not lines:
        errors.append(FieldError("lines", _("Choose at least one line of the order.")))
    if len(note or "") > MAX_NOTE:
        errors.append(FieldError("note", _("At most %(n)s characters.") % {"n": MAX_NOTE}))
    if errors:
        raise InvalidInput(_("The return was not created."), errors)
    reason_row = _reason(shop, reason)
    order = order_selectors.order_detail(shop=shop, pk=order_id)
    if order is None:
        raise NotFound(_("No such order."))
    if external_no and (found := ReturnRequest.objects.filter(shop=shop, channel=order.channel,
                                                              external_no=external_no).first()):
        return found, False
    try:
        with transaction.atomic():
            state = order_services.order_refund_state(shop=shop, order_id=order_id)  # the order's lock
            request = _create(shop, order.channel, state, kind, reason_row, lines, note, external_no, at, actor)
            return_ticket_ensure(shop=shop, request=request, actor=actor)
    except IntegrityError:  # the same platform number was written meanwhile
        found = ReturnRequest.objects.filter(shop=shop, channel=order.channel, external_no=external_no).first()
        if not external_no or found is None:
            raise
        return found, False
    return request, True


def _create(shop: Shop, channel: str, state: order_services.OrderRefundState, kind: str, reason: ReturnReason,
            lines: Sequence[ReturnLineInput], note: str, external_no: str, at: dt.datetime,
            actor: User | None) -> ReturnRequest:
    by_id = {line.line_id: line for line in state.lines}
    claimed = units_claimed(state.order_id)
    refunded = _units_refunded(state.order_id)
    errors: list[FieldError] = []
    rows: list[ReturnLine] = []
    seen: set[int] = set()
    for index, wanted in enumerate(lines):
        field = f"lines[{index}]"
        line = by_id.get(wanted.line_id)
        if line is None:
            errors.append(FieldError(f"{field}.line_id", _("This line is not a line of the order.")))
            continue
        if wanted.line_id in seen:
            errors.append(FieldError(f"{field}.line_id", _("The line is listed twice.")))
            continue
        seen.add(wanted.line_id)
        left = line.qty - claimed.get(line.line_id, 0)
        if not isinstance(wanted.qty, int) or wanted.qty < 1 or wanted.qty > left:
            errors.append(FieldError(f"{field}.qty", _("Return 1 to %(n)s units of this line (other returns claim "
                                                       "the rest).") % {"n": left} if left > 0 else
                                     _("Every unit of this line is in another return already.")))
            continue
        exchange_sku = None
        amount = 0
        if kind == rules.EXCHANGE:
            code = (wanted.exchange_sku or "").strip()
            exchange_sku = sku_by_code(shop=shop, sku_code=code) if code else None
            if code and exchange_sku is None:
                errors.append(FieldError(f"{field}.exchange_sku", _("No SKU with this code in this shop.")))
                continue
            if exchange_sku is None and line.sku_id is None:
                errors.append(FieldError(f"{field}.exchange_sku", _("The line has no SKU: name the replacement's.")))
                continue
        else:
            most = refundable_fen(_line_state(state, line, refunded), wanted.qty)
            amount = most if wanted.amount_fen is None else wanted.amount_fen
            if not 0 <= amount <= most:
                errors.append(FieldError(f"{field}.amount", _("At most %(most)s can be refunded for these units.")
                                         % {"most": format_yuan_fen(most)}))
                continue
        rows.append(ReturnLine(shop=shop, order_line_id=line.line_id, line_index=line.index, sku_id=line.sku_id,
                               title=line.title[:200], qty=wanted.qty, amount_fen=amount,
                               exchange_sku_id=(exchange_sku.pk if exchange_sku is not None else
                                                line.sku_id if kind == rules.EXCHANGE else None)))
    if errors:
        raise InvalidInput(_("The return was not created."), errors)
    request = ReturnRequest.objects.create(
        shop=shop, order_id=state.order_id, channel=channel, kind=kind, reason=reason,
        note=(note or "").strip(), external_no=external_no, requested_at=at,
        requested_date=local_date(at, shop.timezone), created_by=actor)
    for row in rows:
        row.request = request
    ReturnLine.objects.bulk_create(rows)
    _audit(request, "return.request", actor, {"kind": kind, "reason": reason.code,
                                             "lines": [[r.order_line_id, r.qty, r.amount_fen] for r in rows]})
    return request


def _audit(request: ReturnRequest, action: str, actor: User | None, changes: dict) -> None:
    audit_record(action=action, object_type="return", object_id=request.pk, shop=request.shop, actor=actor,
                 object_repr=str(request), changes={"status": request.status, **changes})


def _locked(shop: Shop, return_id: int) -> ReturnRequest:
    found = ReturnRequest.objects.select_for_update().filter(shop=shop, pk=return_id).first()
    if found is None:
        raise NotFound(_("No such return."))
    return found


def _move(request: ReturnRequest, target: str) -> None:
    """Refuse a step the flow does not allow (Conflict, in the user's language)."""
    problem = rules.transition_problem(request.kind, request.status, target)
    if problem is not None:
        raise Conflict(say(problem))
    request.status = target


def return_approve(*, shop: Shop, return_id: int, actor: User | None = None,
                   at: dt.datetime | None = None) -> ReturnRequest:
    with transaction.atomic():
        request = _locked(shop, return_id)
        _move(request, rules.APPROVED)
        request.decided_at = at or clock_now()
        request.save(update_fields=["status", "decided_at"])
        _audit(request, "return.approve", actor, {})
    return request


def return_reject(*, shop: Shop, return_id: int, reason: str, actor: User | None = None,
                  at: dt.datetime | None = None) -> ReturnRequest:
    """Reject with a reason the buyer and the platform will read (required)."""
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_NOTE:
        raise InvalidInput(_("The return was not rejected."),
                           [FieldError("reason", _("Say why, in 1 to %(n)s characters.") % {"n": MAX_NOTE})])
    with transaction.atomic():
        request = _locked(shop, return_id)
        _move(request, rules.REJECTED)
        request.reject_reason, request.decided_at = reason, at or clock_now()
        request.save(update_fields=["status", "reject_reason", "decided_at"])
        _audit(request, "return.reject", actor, {"reason": reason})
    return request


def return_ship(*, shop: Shop, return_id: int, logistics_company: str, logistics_no: str,
                actor: User | None = None, at: dt.datetime | None = None) -> ReturnRequest:
    """The buyer sent the goods back: the logistics company and tracking number are required."""
    company, number = (logistics_company or "").strip(), (logistics_no or "").strip()
    errors = [FieldError(name, _("Required, at most 60 characters."))
              for name, value in (("logistics_company", company), ("logistics_no", number))
              if not value or len(value) > 60]
    if errors:
        raise InvalidInput(_("The return shipment was not recorded."), errors)
    with transaction.atomic():
        request = _locked(shop, return_id)
        _move(request, rules.SHIPPED)
        request.logistics_company, request.logistics_no = company, number
        request.shipped_at = at or clock_now()
        request.save(update_fields=["status", "logistics_company", "logistics_no", "shipped_at"])
        _audit(request, "return.ship", actor, {"logistics_company": company, "logistics_no": number})
    return request


def return_receive(*, shop: Shop, return_id: int, conditions: Mapping[int, str] | None = None,
                   location: str | None = None, actor: User | None = None,
                   at: dt.datetime | None = None) -> ReturnRequest:
    """The goods arrived and were inspected: each line's units go back into stock through the ledger, sellable
    ones to ``location`` (default: the shop's default location), defective ones to the inactive defective
    location (docs/rules/returns.md#stock-back). ``conditions``: return line id → sellable | defective (a line
    not named is sellable). Idempotent per line (the ledger's ref is the return line)."""
    conditions = dict(conditions or {})
    with transaction.atomic():
        request = _locked(shop, return_id)
        lines = list(request.lines.select_related("sku"))
        errors = [FieldError(f"conditions.{key}", _("Not a line of this return.")) for key in conditions
                  if key not in {line.pk for line in lines}]
        errors += [FieldError(f"conditions.{key}", _("Choose sellable or defective.")) for key, value
                   in conditions.items() if value not in rules.CONDITIONS]
        errors += [FieldError(f"lines[{index}]", _("The line has no SKU: match it to a SKU first (商品匹配)."))
                   for index, line in enumerate(lines) if line.sku is None]
        if errors:
            raise InvalidInput(_("The return was not received."), errors)
        _move(request, rules.RECEIVED)
        defective = inventory.location_defective(shop=shop).code if any(
            v == rules.DEFECTIVE for v in conditions.values()) else None
        for line in lines:
            line.condition = conditions.get(line.pk, rules.SELLABLE)
            assert line.sku is not None  # checked above
            inventory.stock_move(shop=shop, sku_code=line.sku.sku_code, qty=line.qty, type="return",
                                 ref=f"return:{request.pk}:{line.pk}", actor=actor,
                                 location_code=defective if line.condition == rules.DEFECTIVE else location,
                                 note=_("Return %(no)s") % {"no": request})
        ReturnLine.objects.bulk_update(lines, ["condition"])
        request.received_at = at or clock_now()
        request.save(update_fields=["status", "received_at"])
        _audit(request, "return.receive", actor, {"conditions": {str(line.pk): line.condition for line in lines}})
    return request


def return_refund(*, shop: Shop, return_id: int, actor: User | None = None,
                  at: dt.datetime | None = None) -> ReturnRequest:
    """Refund the return: one orders refund per line with money, each at most what is refundable now, decided
    under the order's row lock and the return's (docs/rules/returns.md#refund); the lake's order facts follow
    after the commit."""
    at = at or clock_now()
    order_id = ReturnRequest.objects.filter(shop=shop, pk=return_id).values_list("order_id", flat=True).first()
    if order_id is None:
        raise NotFound(_("No such return."))
    with transaction.atomic():
        state = order_services.order_refund_state(shop=shop, order_id=order_id)  # lock order: order, then return
        request = _locked(shop, return_id)
        _move(request, rules.REFUNDED)
        _refund_lines(shop, request, state, at)
        request.completed_at = at
        request.save(update_fields=["status", "refunded_fen", "completed_at"])
        _audit(request, "return.refund", actor, {"refunded_fen": request.refunded_fen})
    order_services.facts_refresh_settle(shop=shop)
    return request


def _refund_lines(shop: Shop, request: ReturnRequest, state: order_services.OrderRefundState,
                  at: dt.datetime) -> None:
    by_id = {line.line_id: line for line in state.lines}
    by_index = {line.index: line for line in state.lines}
    refunded = _units_refunded(state.order_id)
    lines = list(request.lines.all())
    errors: list[FieldError] = []
    for index, row in enumerate(lines):
        line = by_id.get(row.order_line_id) if row.order_line_id else by_index.get(row.line_index)
        if line is None:
            errors.append(FieldError(f"lines[{index}]", _("The order no longer has this line.")))
            continue
        most = refundable_fen(_line_state(state, line, refunded), row.qty)
        if row.amount_fen > most:
            errors.append(FieldError(f"lines[{index}].amount", _(
                "%(asked)s asked, but only %(most)s is refundable now (the line was refunded meanwhile).")
                % {"asked": format_yuan_fen(row.amount_fen), "most": format_yuan_fen(most)}))
            continue
        if row.amount_fen > 0:
            row.refund_id = order_services.refund_record(
                shop=shop, order_id=state.order_id, line_id=line.line_id, refund_no=f"RT{request.pk}-{row.pk}",
                amount_fen=row.amount_fen, kind=request.kind, reason=request.reason.code, at=at)
            row.refunded_fen = row.amount_fen
    if errors:
        raise InvalidInput(_("The return was not refunded."), errors)
    ReturnLine.objects.bulk_update(lines, ["refund_id", "refunded_fen"])
    request.refunded_fen = sum(row.refunded_fen for row in lines)


def return_exchange(*, shop: Shop, return_id: int, actor: User | None = None) -> ReturnRequest:
    """Ship the replacement of a received exchange: each line's replacement SKU is reserved and committed (a
    sale in the ledger) through inventory; not enough stock is a StockConflict and nothing changes."""
    with transaction.atomic():
        request = _locked(shop, return_id)
        _move(request, rules.EXCHANGED)
        lines = list(request.lines.select_related("exchange_sku"))
        for line in lines:
            if line.exchange_sku is None:
                raise InvalidInput(_("The return was not exchanged."),
                                   [FieldError(f"lines.{line.pk}", _("The replacement SKU is missing."))])
            reservation, _created = inventory.reservation_create(
                shop=shop, sku_code=line.exchange_sku.sku_code, qty=line.qty, ref=f"exchange:{request.pk}:{line.pk}",
                channel=request.channel)
            inventory.reservation_commit(shop=shop, reservation_id=reservation.pk, actor=actor)
            line.exchange_reservation_id = reservation.pk
        ReturnLine.objects.bulk_update(lines, ["exchange_reservation_id"])
        request.completed_at = clock_now()
        request.save(update_fields=["status", "completed_at"])
        _audit(request, "return.exchange", actor, {"reservations": [line.exchange_reservation_id for line in lines]})
    return request
