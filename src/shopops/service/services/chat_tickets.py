"""Imported chats join the tickets they are about: a session whose buyer is a customer with an open (or pending)
ticket about an order adds its messages from the ticket's opening on to that ticket — the buyer's as customer
messages, the agents' as replies — so the ticket's SLA sees them. No ticket is opened for a chat: most chats are
questions answered in the chat. The chats import calls ``chat_tickets_attach`` after it wrote the sessions."""

from __future__ import annotations

from collections.abc import Sequence

from shopops.core.models import Shop
from shopops.service.models import ChatMessage, ChatSession, Ticket, TicketEvent
from shopops.service.selectors.tickets import open_tickets_of_customers, ticket_event_keys
from shopops.service.services.tickets import ticket_customer_message, ticket_reply

_KIND_OF = {ChatMessage.Side.BUYER: TicketEvent.Kind.CUSTOMER_MESSAGE, ChatMessage.Side.AGENT: TicketEvent.Kind.AGENT_REPLY}


def _ticket_of(tickets: list[Ticket], session: ChatSession) -> Ticket | None:
    """The customer's newest open ticket opened before the session ended."""
    before = [t for t in tickets if t.created_at <= session.ended_at]
    return before[-1] if before else None


def chat_tickets_attach(*, shop: Shop, channel: str, session_ids: Sequence[str]) -> int:
    """Copy the sessions' messages onto their customers' open tickets (a message already there is not copied
    again); returns the messages copied."""
    sessions: list[ChatSession] = []
    ids = list(session_ids)
    for start in range(0, len(ids), 900):
        sessions.extend(ChatSession.objects.filter(shop=shop, channel=channel, customer__isnull=False,
                                                   session_id__in=ids[start : start + 900]))
    tickets = open_tickets_of_customers(shop=shop, customer_ids=[s.customer_id for s in sessions])  # type: ignore[misc]
    copied = 0
    for session in sorted(sessions, key=lambda s: (s.started_at, s.pk)):
        ticket = _ticket_of(tickets.get(session.customer_id, []), session)  # type: ignore[arg-type]
        if ticket is None:
            continue
        have = ticket_event_keys(ticket_id=ticket.pk)
        for message in session.messages.filter(sent_at__gte=ticket.created_at).order_by("seq"):
            kind = _KIND_OF.get(message.side)  # type: ignore[call-overload]
            text = message.text.strip()
            if kind is None or not text or (kind, message.sent_at, text) in have:
                continue
            write = ticket_customer_message if kind == TicketEvent.Kind.CUSTOMER_MESSAGE else ticket_reply
            write(shop=shop, ticket_id=ticket.pk, text=text, at=message.sent_at)
            copied += 1
    return copied
