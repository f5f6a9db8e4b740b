"""The service app's records, one module per subject (tickets, reviews, returns, chats); Django finds them here."""

from shopops.service.models.tickets import (
    BusinessCalendar,
    SlaPolicy,
    Ticket,
    TicketEvent,
    TicketKind,
    TicketPriority,
)

__all__ = ["BusinessCalendar", "SlaPolicy", "Ticket", "TicketEvent", "TicketKind", "TicketPriority"]
