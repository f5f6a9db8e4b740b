"""Ticket writes: open (by hand or from an order, joining the open ticket of the same customer and order),
assign, reply, customer message, internal note, pause/resume, resolve, close, merge. Each is atomic, keeps
the ticket's history (TicketEvent), writes the audit log and refreshes the ticket's SLA."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from shopops.channels.domain import CHANNEL_CODES
from shopops.core.clock import now as clock_now
from shopops.core.errors import Conflict, FieldError, InvalidInput, NotFound
from shopops.core.models import Shop, User
from shopops.core.selectors import user_in_shop
from shopops.core.services import audit_record
from shopops.members.selectors import customer_detail
from shopops.orders.selectors import order_detail
from shopops.service.models import Ticket, TicketEvent, TicketKind, TicketPriority
from shopops.service.selectors.tickets import open_ticket_of
from shopops.service.services.sla import sla_policy_assign, sla_refresh

ORDER_LOCK_CLASS = 0x5E71  # PostgreSQL advisory lock class of "tickets about one order" (any constant)
MAX_SUBJECT = 200
MAX_TEXT = 10_000
MAX_TAGS, MAX_TAG = 20, 30
Status = Ticket.Status

# status → the statuses it may move to
MOVES: dict[str, tuple[str, ...]] = {
    Status.OPEN: (Status.PENDING, Status.RESOLVED, Status.CLOSED),
    Status.PENDING: (Status.OPEN, Status.RESOLVED, Status.CLOSED),
    Status.RESOLVED: (Status.OPEN, Status.CLOSED),
    Status.CLOSED: (Status.OPEN,),
}


def _at(at: dt.datetime | None) -> dt.datetime:
    return clock_now() if at is None else at


def _locked(shop: Shop, ticket_id: int) -> Ticket:
    """The ticket, locked for this transaction, or NotFound (another shop's ticket is as absent)."""
    ticket = (Ticket.objects.select_for_update(of=("self",)).select_related("policy", "policy__calendar")
              .filter(shop=shop, pk=ticket_id).first())
    if ticket is None:
        raise NotFound(_("No ticket %(id)s.") % {"id": ticket_id})
    if ticket.merged_into_id is not None:
        raise Conflict(_("Ticket %(id)s was merged into ticket %(into)s: work on that one.")
                       % {"id": ticket_id, "into": ticket.merged_into_id})
    return ticket


def _event(ticket: Ticket, kind: str, at: dt.datetime, actor: User | None, text: str = "",
           data: dict[str, Any] | None = None) -> TicketEvent:
    return TicketEvent.objects.create(shop=ticket.shop, ticket=ticket, kind=kind, at=at, text=text,
                                      actor=actor if actor is not None and actor.is_authenticated else None,
                                      data=data or {})


def _audit(ticket: Ticket, action: str, actor: User | None, changes: dict[str, Any]) -> None:
    audit_record(action=f"ticket.{action}", object_type="ticket", object_id=ticket.pk, shop=ticket.shop,
                 actor=actor, object_repr=ticket.subject, changes=changes)


def _text(value: str, *, required: bool, field: str = "text") -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("Nothing was saved."), [FieldError(field, _("This field is required."))])
    if len(value) > MAX_TEXT:
        raise InvalidInput(_("Nothing was saved."),
                           [FieldError(field, _("At most %(n)s characters.") % {"n": MAX_TEXT})])
    return value


def _tags(values: Sequence[str], errors: list[FieldError]) -> list[str]:
    tags = list(dict.fromkeys(t.strip() for t in values if t and t.strip()))
    if len(tags) > MAX_TAGS or any(len(t) > MAX_TAG for t in tags):
        errors.append(FieldError("tags", _("At most %(n)s tags of at most %(m)s characters each.")
                                 % {"n": MAX_TAGS, "m": MAX_TAG}))
    return tags


def _serialize_order(order_id: int) -> None:
    """Two requests about one order open one ticket, never two: SQLite's IMMEDIATE write transactions run one
    at a time already; on PostgreSQL a transaction-scoped advisory lock on the order does the same (a shared
    key modulo 2³¹ only makes two orders wait for each other)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ORDER_LOCK_CLASS, order_id % 2**31])


def ticket_open(*, shop: Shop, subject: str, actor: User | None = None, kind: str = TicketKind.INQUIRY,
                priority: str = TicketPriority.NORMAL, channel: str = "", order_id: int | None = None,
                customer_id: int | None = None, assignee_id: int | None = None, tags: Sequence[str] = (),
                text: str = "", at: dt.datetime | None = None,
                ref: dict[str, Any] | None = None) -> tuple[Ticket, bool]:
    """Open a ticket (by hand or from an order: the order gives its customer and channel). A request about an
    order whose customer already has an open or pending ticket about it joins that ticket (a ``merged``
    event with its text) instead of opening a duplicate. Returns the ticket and whether it is new. ``text``
    is the customer's message (it starts nothing: the first-response clock starts at the opening); ``ref``
    names what opened it (``{"review": id}``, ``{"return": id}``), kept in the event so that a second call
    about the same thing can tell (``selectors.tickets.ticket_refs``)."""
    at = _at(at)
    errors: list[FieldError] = []
    subject = (subject or "").strip()
    if not subject or len(subject) > MAX_SUBJECT:
        errors.append(FieldError("subject", _("Give a subject of 1 to %(max)d characters.") % {"max": MAX_SUBJECT}))
    if kind not in TicketKind.values:
        errors.append(FieldError("type", _("Unknown ticket type: %(value)s") % {"value": kind}))
    if priority not in TicketPriority.values:
        errors.append(FieldError("priority", _("Unknown priority: %(value)s") % {"value": priority}))
    if channel and channel not in CHANNEL_CODES:
        errors.append(FieldError("channel", _("Unknown channel: %(value)s") % {"value": channel}))
    clean_tags = _tags(tags, errors)
    order = order_detail(shop=shop, pk=order_id) if order_id is not None else None
    if order_id is not None and order is None:
        errors.append(FieldError("order", _("No order %(id)s in this shop.") % {"id": order_id}))
    customer = customer_detail(shop=shop, pk=customer_id) if customer_id is not None else None
    if customer_id is not None and customer is None:
        errors.append(FieldError("customer", _("No customer %(id)s in this shop.") % {"id": customer_id}))
    if order is not None and customer is not None and order.customer_id != customer.pk:
        errors.append(FieldError("customer", _("The order belongs to another customer.")))
    assignee = user_in_shop(shop=shop, pk=assignee_id) if assignee_id is not None else None
    if assignee_id is not None and assignee is None:
        errors.append(FieldError("assignee", _("No user %(id)s in this shop.") % {"id": assignee_id}))
    try:
        text = _text(text, required=False)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if errors:
        raise InvalidInput(_("The ticket was not opened."), errors)
    with transaction.atomic():
        if order is not None:
            _serialize_order(order.pk)
            existing = open_ticket_of(shop=shop, customer_id=order.customer_id, order_id=order.pk)
            if existing is not None:
                ticket = _locked(shop, existing.pk)
                _event(ticket, TicketEvent.Kind.MERGED, at, actor, text,
                       {"subject": subject, "type": kind, "joined": True, **(ref or {})})
                ticket.tags = list(dict.fromkeys([*ticket.tags, *clean_tags]))
                ticket.save(update_fields=["tags", "updated_at"])
                _audit(ticket, "join", actor, {"subject": subject})
                return ticket, False
        ticket = Ticket.objects.create(
            shop=shop, subject=subject, kind=kind, priority=priority,
            channel=order.channel if order is not None and not channel else channel,
            order=order, customer=order.customer if order is not None else customer, assignee=assignee,
            tags=clean_tags, created_at=at)
        sla_policy_assign(ticket)
        _event(ticket, TicketEvent.Kind.CREATED, at, actor, text,
               {"type": kind, "priority": priority, **(ref or {})})
        if assignee is not None:
            _event(ticket, TicketEvent.Kind.ASSIGNED, at, actor, data={"to": assignee.pk})
        sla_refresh(ticket, now=at, save=False)
        ticket.save()
        _audit(ticket, "open", actor, {"type": kind, "priority": priority, "channel": ticket.channel,
                                       "order": order_id, "customer": ticket.customer_id})
    return ticket, True


@transaction.atomic
def ticket_assign(*, shop: Shop, ticket_id: int, assignee_id: int | None, actor: User | None = None,
                  at: dt.datetime | None = None) -> Ticket:
    """Give the ticket to a user of the shop (None: to nobody)."""
    at = _at(at)
    ticket = _locked(shop, ticket_id)
    assignee = user_in_shop(shop=shop, pk=assignee_id) if assignee_id is not None else None
    if assignee_id is not None and assignee is None:
        raise InvalidInput(_("The ticket was not assigned."),
                           [FieldError("assignee", _("No user %(id)s in this shop.") % {"id": assignee_id})])
    before = ticket.assignee_id
    ticket.assignee = assignee
    ticket.save(update_fields=["assignee", "updated_at"])
    _event(ticket, TicketEvent.Kind.ASSIGNED, at, actor, data={"from": before, "to": assignee_id})
    _audit(ticket, "assign", actor, {"assignee": [before, assignee_id]})
    return ticket


def _move(ticket: Ticket, to: str, at: dt.datetime, actor: User | None, text: str = "",
          only_from: tuple[str, ...] | None = None) -> None:
    """Change the status (a history line; resolved_at kept) — InvalidInput when the move is not allowed
    (``only_from``: the statuses this action starts from, narrower than MOVES)."""
    before = ticket.status
    if to not in MOVES[before] or (only_from is not None and before not in only_from):
        raise InvalidInput(_("A ticket that is %(from)s cannot become %(to)s.")
                           % {"from": Status(before).label, "to": Status(to).label},
                           [FieldError("status", _("Not allowed from the current status."))])
    ticket.status = to
    if to == Status.RESOLVED:
        ticket.resolved_at = at
    elif to == Status.OPEN:
        ticket.resolved_at = None
    _event(ticket, TicketEvent.Kind.STATUS, at, actor, text, {"from": before, "to": to})
    _audit(ticket, "status", actor, {"status": [before, to]})


def _saved(ticket: Ticket, at: dt.datetime) -> Ticket:
    sla_refresh(ticket, now=at, save=False)
    ticket.save()
    return ticket


@transaction.atomic
def ticket_reply(*, shop: Shop, ticket_id: int, text: str, actor: User | None = None,
                 at: dt.datetime | None = None) -> Ticket:
    """An agent's reply to the customer: it meets the first response, or the next response the customer
    waits for."""
    at, text = _at(at), _text(text, required=True)
    ticket = _locked(shop, ticket_id)
    if ticket.status == Status.CLOSED:
        raise InvalidInput(_("The ticket is closed: reopen it first."), [FieldError("status", _("Closed."))])
    _event(ticket, TicketEvent.Kind.AGENT_REPLY, at, actor, text)
    if ticket.first_response_at is None:
        ticket.first_response_at = at
    _audit(ticket, "reply", actor, {"chars": len(text)})
    return _saved(ticket, at)


@transaction.atomic
def ticket_customer_message(*, shop: Shop, ticket_id: int, text: str, actor: User | None = None,
                            at: dt.datetime | None = None) -> Ticket:
    """The customer wrote: a ticket waiting for them, resolved or closed opens again, and the next-response
    clock starts (from imported chats or recorded by an agent)."""
    at, text = _at(at), _text(text, required=True)
    ticket = _locked(shop, ticket_id)
    if ticket.status != Status.OPEN:
        _move(ticket, Status.OPEN, at, actor)
    _event(ticket, TicketEvent.Kind.CUSTOMER_MESSAGE, at, actor, text)
    _audit(ticket, "customer_message", actor, {"chars": len(text)})
    return _saved(ticket, at)


@transaction.atomic
def ticket_note(*, shop: Shop, ticket_id: int, text: str, actor: User | None = None,
                at: dt.datetime | None = None) -> Ticket:
    """An internal note: the team sees it, the customer does not, and no SLA clock moves."""
    at, text = _at(at), _text(text, required=True)
    ticket = _locked(shop, ticket_id)
    _event(ticket, TicketEvent.Kind.NOTE, at, actor, text)
    _audit(ticket, "note", actor, {"chars": len(text)})
    ticket.save(update_fields=["updated_at"])
    return ticket


def _status_service(to: str, doc: str, only_from: tuple[str, ...] | None = None) -> Any:
    @transaction.atomic
    def move(*, shop: Shop, ticket_id: int, actor: User | None = None, text: str = "",
             at: dt.datetime | None = None) -> Ticket:
        at_, text_ = _at(at), _text(text, required=False)
        ticket = _locked(shop, ticket_id)
        _move(ticket, to, at_, actor, text_, only_from)
        return _saved(ticket, at_)

    move.__doc__ = doc
    return move


ticket_pause = _status_service(Status.PENDING, "Wait for the customer (pending): every SLA clock stops.")
ticket_resume = _status_service(Status.OPEN, "Back to open from pending: the clocks restart, due times "
                                             "recomputed from the allowance left (paused time never counts).",
                                only_from=(Status.PENDING,))
ticket_resolve = _status_service(Status.RESOLVED, "Resolved: the resolution target is met (or breached).")
ticket_close = _status_service(Status.CLOSED, "Closed: nothing more to do (a customer message reopens it).")


@transaction.atomic
def ticket_merge(*, shop: Shop, source_id: int, target_id: int, actor: User | None = None,
                 at: dt.datetime | None = None) -> Ticket:
    """Merge ticket ``source_id`` into ``target_id`` (same customer, or no customer on one side): the source
    is closed and points at the target, whose history gets a ``merged`` line and whose tags gain the
    source's. The source's own history stays on it."""
    at = _at(at)
    if source_id == target_id:
        raise InvalidInput(_("A ticket cannot be merged into itself."),
                           [FieldError("target", _("Choose another ticket."))])
    first, second = sorted((source_id, target_id))  # one lock order, so two opposite merges cannot deadlock
    locked = {first: _locked(shop, first), second: _locked(shop, second)}
    source, target = locked[source_id], locked[target_id]
    if source.customer_id and target.customer_id and source.customer_id != target.customer_id:
        raise InvalidInput(_("The tickets belong to different customers."),
                           [FieldError("target", _("Choose a ticket of the same customer."))])
    if source.status != Status.CLOSED:
        _move(source, Status.CLOSED, at, actor)
    source.merged_into = target
    _event(source, TicketEvent.Kind.MERGED, at, actor, data={"into": target.pk})
    _saved(source, at)
    target.tags = list(dict.fromkeys([*target.tags, *source.tags]))
    if target.customer_id is None:
        target.customer_id = source.customer_id
    _event(target, TicketEvent.Kind.MERGED, at, actor, source.subject, {"from": source.pk})
    _audit(target, "merge", actor, {"from": source.pk})
    return _saved(target, at)
