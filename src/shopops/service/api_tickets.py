"""/api/v1/service/tickets: customer-service tickets — list, detail with history and SLA, open, and the
actions (assign, reply, note, pause, resume, resolve, close, merge). Reading needs ``VIEW_TICKETS``, every
write ``SERVE_CUSTOMERS``; another shop's ticket is as absent as a missing one (404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError

from shopops.core.api_auth import current_shop, needs
from shopops.core.clock import now
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.roles import SERVE_CUSTOMERS, VIEW_CUSTOMERS, VIEW_ORDERS, VIEW_TICKETS
from shopops.core.schemas import ERRORS, MAX_DB_ID
from shopops.core.selectors import users_of_shop
from shopops.service.models import Ticket
from shopops.service.schemas_tickets import (
    AssignIn,
    MergeIn,
    TextIn,
    TicketDetailOut,
    TicketFilters,
    TicketIn,
    TicketPage,
)
from shopops.service.selectors.tickets import ticket_detail, ticket_exists, ticket_list, ticket_sla
from shopops.service.services import tickets as services

router = Router(tags=["service"])
TICKET_ID = Path(..., ge=1, le=MAX_DB_ID)


def ticket_out(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    order, customer = ticket.order, ticket.customer
    return {
        "id": ticket.pk, "subject": ticket.subject, "type": ticket.kind, "priority": ticket.priority,
        "status": ticket.status, "channel": ticket.channel,
        "order": {"id": order.pk, "order_no": order.order_no}
        if order is not None and request.auth.has_perm(VIEW_ORDERS) else None,
        "customer": {"id": customer.pk, "code": customer.code, "name": customer.name}
        if customer is not None and request.auth.has_perm(VIEW_CUSTOMERS) else None,
        "assignee": ticket.assignee.get_username() if ticket.assignee is not None else None,
        "tags": ticket.tags, "policy": ticket.policy.name if ticket.policy is not None else None,
        "sla_state": ticket.sla_state, "first_response_due": ticket.first_response_due,
        "next_response_due": ticket.next_response_due, "resolution_due": ticket.resolution_due,
        "first_response_at": ticket.first_response_at, "resolved_at": ticket.resolved_at,
        "merged_into": ticket.merged_into_id, "created_at": ticket.created_at,
    }


def _detail(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    ticket = ticket_detail(shop=current_shop(request), pk=ticket_id)
    if ticket is None:
        raise HttpError(404, _("No such ticket."))
    events = list(ticket.events.all())
    states = ticket_sla(ticket, now(), events)
    return {**ticket_out(request, ticket),
            "sla": {target: {"due": s.due, "state": s.state, "used_minutes": s.used_minutes,
                             "allowance_minutes": s.allowance_minutes, "met_at": s.met_at}
                    for target, s in states.items()},
            "history": [{"kind": e.kind, "at": e.at, "actor": e.actor.get_username() if e.actor else None,
                         "text": e.text, "data": e.data} for e in events]}


def _found(request: HttpRequest, ticket_id: int) -> None:
    """404 before the body is looked at: another shop's ticket is absent whatever the body says."""
    if not ticket_exists(shop=current_shop(request), pk=ticket_id):
        raise HttpError(404, _("No such ticket."))


def _user_id(request: HttpRequest, username: str | None) -> int | None:
    """The id of the shop's user named ``username`` (0 for none such: the service refuses it by name)."""
    if username is None:
        return None
    return users_of_shop(shop=current_shop(request)).filter(username=username).values_list(
        "pk", flat=True).first() or 0


@router.get("", response={200: TicketPage, **ERRORS}, auth=needs(VIEW_TICKETS))
def list_tickets(request: HttpRequest, filters: Query[TicketFilters]) -> dict:
    """Newest first; ``assignee=-`` lists the unassigned ones."""
    unassigned = filters.assignee == "-"
    assignee_id = None if unassigned or not filters.assignee else _user_id(request, filters.assignee)
    qs = ticket_list(shop=current_shop(request), status=filters.status, kind=filters.type,
                     assignee_id=assignee_id, unassigned=unassigned, channel=filters.channel,
                     sla_state=filters.sla_state).select_related("policy")
    page = qs[filters.offset : filters.offset + filters.limit]
    return {"items": [ticket_out(request, t) for t in page], "count": qs.count()}


@router.get("/{ticket_id}", response={200: TicketDetailOut, **ERRORS}, auth=needs(VIEW_TICKETS))
def get_ticket(request: HttpRequest, ticket_id: int = TICKET_ID) -> dict:
    return _detail(request, ticket_id)


@router.post("", response={200: TicketDetailOut, 201: TicketDetailOut, **ERRORS}, auth=needs(SERVE_CUSTOMERS))
def open_ticket(request: HttpRequest, payload: TicketIn) -> tuple[int, dict]:
    """201 with the new ticket; 200 with the open ticket of the same customer and order it joined."""
    ticket, created = services.ticket_open(
        shop=current_shop(request), actor=request.auth, subject=payload.subject, kind=payload.type,
        priority=payload.priority, channel=payload.channel, order_id=payload.order, customer_id=payload.customer,
        assignee_id=_user_id(request, payload.assignee), tags=payload.tags, text=payload.text)
    return (201 if created else 200), _detail(request, ticket.pk)


@router.post("/{ticket_id}/assign", response={200: TicketDetailOut, **ERRORS}, auth=needs(SERVE_CUSTOMERS))
def assign(request: HttpRequest, payload: AssignIn, ticket_id: int = TICKET_ID) -> dict:
    """``{"assignee": "username"}``; null gives it to nobody."""
    _found(request, ticket_id)
    if "assignee" not in payload.model_fields_set:
        raise InvalidInput(_("Invalid input."), [FieldError("assignee", _("This field is required."))])
    services.ticket_assign(shop=current_shop(request), ticket_id=ticket_id, actor=request.auth,
                           assignee_id=_user_id(request, payload.assignee))
    return _detail(request, ticket_id)


def _text_action(service: Callable[..., Ticket], path: str, doc: str) -> None:
    def action(request: HttpRequest, payload: TextIn, ticket_id: int = TICKET_ID) -> dict:
        _found(request, ticket_id)
        service(shop=current_shop(request), ticket_id=ticket_id, text=payload.text, actor=request.auth)
        return _detail(request, ticket_id)

    action.__name__ = action.__qualname__ = f"ticket_{path}"
    action.__doc__ = doc
    router.post(f"/{{ticket_id}}/{path}", response={200: TicketDetailOut, **ERRORS},
                auth=needs(SERVE_CUSTOMERS))(action)


_text_action(services.ticket_reply, "reply", "An agent's reply to the customer (``text`` required).")
_text_action(services.ticket_note, "note", "An internal note (``text`` required).")
_text_action(services.ticket_pause, "pause", "Wait for the customer: the SLA clocks stop.")
_text_action(services.ticket_resume, "resume", "Back to open: the SLA due times are recomputed.")
_text_action(services.ticket_resolve, "resolve", "Resolved.")
_text_action(services.ticket_close, "close", "Closed.")


@router.post("/{ticket_id}/merge", response={200: TicketDetailOut, **ERRORS}, auth=needs(SERVE_CUSTOMERS))
def merge(request: HttpRequest, payload: MergeIn, ticket_id: int = TICKET_ID) -> dict:
    """Merge this ticket into ``into`` (required); answers the ticket merged into."""
    _found(request, ticket_id)
    if payload.into is None:
        raise InvalidInput(_("Invalid input."), [FieldError("into", _("This field is required."))])
    ticket = services.ticket_merge(shop=current_shop(request), source_id=ticket_id, target_id=payload.into,
                                   actor=request.auth)
    return _detail(request, ticket.pk)
