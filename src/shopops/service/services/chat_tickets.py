"""Imported chats join the tickets they are about, or open one (docs/rules/service-chats.md#chat-tickets): a
session whose buyer is a customer with an open (or pending) ticket about an order adds its messages from the
ticket's opening on to that ticket — the buyer's as customer messages, the agents' as replies — so the ticket's
SLA sees them. A session with no such ticket whose buyer asks for a return, complains, reports a defect or a
parcel that did not arrive (``chat_intents``) about an order they paid opens a ticket about that order, once
per session whatever how often it is imported; any other chat (a pre-sales question above all) opens none.
The chats import calls ``chat_tickets_attach`` after it wrote the sessions."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from shopops.core.models import Shop
from shopops.orders.selectors import PaidOrder, paid_orders_of_customers
from shopops.service.chat_intents import chat_intent
from shopops.service.models import ChatMessage, ChatSession, Ticket, TicketEvent, TicketKind, TicketPriority
from shopops.service.selectors.tickets import open_tickets_of_customers, ticket_event_keys, ticket_refs
from shopops.service.services.tickets import MAX_SUBJECT, ticket_customer_message, ticket_open, ticket_reply

_KIND_OF = {ChatMessage.Side.BUYER: TicketEvent.Kind.CUSTOMER_MESSAGE, ChatMessage.Side.AGENT: TicketEvent.Kind.AGENT_REPLY}


def _ticket_of(tickets: list[Ticket], session: ChatSession) -> Ticket | None:
    """The customer's newest open ticket opened before the session ended."""
    before = [t for t in tickets if t.created_at <= session.ended_at]
    return before[-1] if before else None


def _ticket_from_chat(shop: Shop, session: ChatSession, messages: list[ChatMessage],
                      orders: list[PaidOrder]) -> Ticket | None:
    """Open a ticket for the session's after-sales request about the buyer's newest order on its channel paid
    before the request (None: no request, or no such order — a buyer who has not bought asks before buying)."""
    buyer = [m for m in messages if m.side == ChatMessage.Side.BUYER]
    intent = chat_intent([m.text for m in buyer])
    if intent is None:
        return None
    asked = buyer[intent.index]
    paid = [o for o in orders if o.channel == session.channel and o.paid_at <= asked.sent_at]
    if not paid:
        return None
    order = paid[-1]
    subject = _("%(word)s: chat with %(buyer)s about order %(no)s") % {
        "word": intent.word, "buyer": session.buyer_nick, "no": order.order_no}
    ticket, _new = ticket_open(
        shop=shop, subject=subject[:MAX_SUBJECT], kind=intent.kind, channel=session.channel, order_id=order.pk,
        priority=TicketPriority.HIGH if intent.kind == TicketKind.COMPLAINT else TicketPriority.NORMAL,
        at=asked.sent_at, ref={"chat": session.pk})
    return ticket


def _copy(shop: Shop, ticket: Ticket, messages: list[ChatMessage]) -> int:
    """Copy the messages sent from the ticket's opening on (a message already there is not copied again)."""
    have = ticket_event_keys(ticket_id=ticket.pk)
    copied = 0
    for message in messages:
        kind = _KIND_OF.get(message.side)  # type: ignore[call-overload]
        text = message.text.strip()
        if kind is None or not text or message.sent_at < ticket.created_at or (kind, message.sent_at, text) in have:
            continue
        write = ticket_customer_message if kind == TicketEvent.Kind.CUSTOMER_MESSAGE else ticket_reply
        write(shop=shop, ticket_id=ticket.pk, text=text, at=message.sent_at)
        copied += 1
    return copied


def chat_tickets_attach(*, shop: Shop, channel: str, session_ids: Sequence[str]) -> int:
    """Copy the sessions' messages onto their customers' open tickets, opening a ticket for an after-sales
    request that has none (once per session); returns the messages copied."""
    sessions: list[ChatSession] = []
    ids = list(session_ids)
    for start in range(0, len(ids), 900):
        sessions.extend(ChatSession.objects.filter(shop=shop, channel=channel, customer__isnull=False,
                                                   session_id__in=ids[start : start + 900]))
    customer_ids: list[int] = [s.customer_id for s in sessions]  # type: ignore[misc]
    tickets = open_tickets_of_customers(shop=shop, customer_ids=customer_ids)
    opened_before = ticket_refs(shop=shop, key="chat", values=[s.pk for s in sessions])
    orders: dict[int, list[PaidOrder]] = {}
    for order in paid_orders_of_customers(shop=shop, customer_ids=customer_ids):
        orders.setdefault(order.customer_id, []).append(order)
    copied = 0
    for session in sorted(sessions, key=lambda s: (s.started_at, s.pk)):
        customer_id: int = session.customer_id  # type: ignore[assignment]
        ticket = _ticket_of(tickets.get(customer_id, []), session)
        messages = list(session.messages.order_by("seq"))
        if ticket is None and session.pk not in opened_before:
            ticket = _ticket_from_chat(shop, session, messages, orders.get(customer_id, []))
            if ticket is not None:  # the customer's later sessions in this file join it
                mine = tickets.setdefault(customer_id, [])
                mine[:] = sorted({t.pk: t for t in [*mine, ticket]}.values(), key=lambda t: (t.created_at, t.pk))
        if ticket is not None:
            copied += _copy(shop, ticket, messages)
    return copied
