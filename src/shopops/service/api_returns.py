"""/api/v1/service/returns: returns and exchanges (售后) — list, read, create, and each step of the flow
(docs/rules/returns.md#flow). Reading needs the refunds view permission, every step the refunds change one."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from shopops.core.api_auth import current_shop, needs
from shopops.core.domain import parse_amount
from shopops.core.errors import FieldError, InvalidInput, NotFound
from shopops.core.models import Shop
from shopops.core.money import MoneyError
from shopops.core.roles import CHANGE_REFUNDS, VIEW_REFUNDS
from shopops.core.schemas import ERRORS, MAX_DB_ID
from shopops.service import selectors, services
from shopops.service.schemas_returns import (
    ReasonOut,
    ReceiveIn,
    RejectIn,
    ReturnFilters,
    ReturnIn,
    ReturnOut,
    ReturnPage,
    ShipIn,
)

router = Router(tags=["service"])
ReturnId = Path(..., ge=1, le=MAX_DB_ID)


def _out(shop: Shop, return_id: int) -> dict:
    found = selectors.return_detail(shop=shop, pk=return_id)
    if found is None:
        raise NotFound(_("No such return."))
    return selectors.return_dict(found)


@router.get("", response={200: ReturnPage, **ERRORS}, auth=needs(VIEW_REFUNDS))
def list_returns(request: HttpRequest, filters: Query[ReturnFilters]) -> dict:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput(_("Invalid input."), [FieldError("date_from", _("The start is after the end."))])
    qs = selectors.return_list(shop=current_shop(request), status=filters.status, kind=filters.kind,
                               reason=filters.reason, channel=filters.channel, q=filters.q,
                               date_from=filters.date_from, date_to=filters.date_to, order_id=filters.order_id)
    page = qs.prefetch_related("lines__sku", "lines__exchange_sku")[filters.offset : filters.offset + filters.limit]
    return {"items": [selectors.return_dict(r) for r in page], "count": qs.count()}


@router.get("/reasons", response={200: list[ReasonOut], **ERRORS}, auth=needs(VIEW_REFUNDS))
def list_reasons(request: HttpRequest) -> list[dict]:
    shop = current_shop(request)
    services.return_reasons_ensure(shop=shop)
    return [{"code": r.code, "name": selectors.reason_label(r)} for r in selectors.return_reasons(shop=shop)]


@router.get("/{return_id}", response={200: ReturnOut, **ERRORS}, auth=needs(VIEW_REFUNDS))
def get_return(request: HttpRequest, return_id: int = ReturnId) -> dict:
    return _out(current_shop(request), return_id)


def _fen(value: str | None, field: str) -> int | None:
    if value is None:
        return None
    try:
        return parse_amount(value)
    except MoneyError:
        raise InvalidInput(_("The return was not created."),
                           [FieldError(field, _("Enter an amount like 129.00."))]) from None


@router.post("", response={200: ReturnOut, 201: ReturnOut, **ERRORS}, auth=needs(CHANGE_REFUNDS))
def create_return(request: HttpRequest, payload: ReturnIn) -> tuple[int, dict]:
    shop = current_shop(request)
    lines = [services.ReturnLineInput(line.line_id, line.qty, _fen(line.amount, f"lines[{index}].amount"),
                                      line.exchange_sku) for index, line in enumerate(payload.lines)]
    created_request, created = services.return_request(
        shop=shop, order_id=payload.order_id, kind=payload.kind, reason=payload.reason, lines=lines,
        note=payload.note, external_no=payload.external_no, actor=request.auth)
    return (201 if created else 200), _out(shop, created_request.pk)


def _step(request: HttpRequest, return_id: int, step: Callable[..., object], **values: object) -> dict:
    """Run one step of the flow as the request's user; answer the return as it is now."""
    shop = current_shop(request)
    if selectors.return_detail(shop=shop, pk=return_id) is None:  # another shop's return: 404 before any check
        raise NotFound(_("No such return."))
    step(shop=shop, return_id=return_id, actor=request.auth, **values)
    return _out(shop, return_id)


@router.post("/{return_id}/approve", response={200: ReturnOut, **ERRORS}, auth=needs(CHANGE_REFUNDS))
def approve_return(request: HttpRequest, return_id: int = ReturnId) -> dict:
    return _step(request, return_id, services.return_approve)


@router.post("/{return_id}/reject", response={200: ReturnOut, **ERRORS}, auth=needs(CHANGE_REFUNDS))
def reject_return(request: HttpRequest, payload: RejectIn, return_id: int = ReturnId) -> dict:
    return _step(request, return_id, services.return_reject, reason=payload.reason)


@router.post("/{return_id}/ship", response={200: ReturnOut, **ERRORS}, auth=needs(CHANGE_REFUNDS))
def ship_return(request: HttpRequest, payload: ShipIn, return_id: int = ReturnId) -> dict:
    return _step(request, return_id, services.return_ship, logistics_company=payload.logistics_company,
                 logistics_no=payload.logistics_no)


@router.post("/{return_id}/receive", response={200: ReturnOut, **ERRORS}, auth=needs(CHANGE_REFUNDS))
def receive_return(request: HttpRequest, payload: ReceiveIn, return_id: int = ReturnId) -> dict:
    return _step(request, return_id, services.return_receive, location=payload.location,
                 conditions={line.line_id: line.condition for line in payload.lines})


@router.post("/{return_id}/refund", response={200: ReturnOut, **ERRORS}, auth=needs(CHANGE_REFUNDS))
def refund_return(request: HttpRequest, return_id: int = ReturnId) -> dict:
    return _step(request, return_id, services.return_refund)


@router.post("/{return_id}/exchange", response={200: ReturnOut, **ERRORS}, auth=needs(CHANGE_REFUNDS))
def exchange_return(request: HttpRequest, return_id: int = ReturnId) -> dict:
    return _step(request, return_id, services.return_exchange)
