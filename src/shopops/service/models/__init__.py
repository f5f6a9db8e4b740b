"""The service app's records, one module per subject (tickets, reviews, returns, chats, SOPs); Django finds them here."""

from shopops.service.models.chats import ChatMessage, ChatSession
from shopops.service.models.returns import ReturnLine, ReturnReason, ReturnRequest
from shopops.service.models.reviews import Review
from shopops.service.models.sop import ReplyTemplate, SopScenario, TicketChecklistMark
from shopops.service.models.tickets import (
    BusinessCalendar,
    SlaPolicy,
    Ticket,
    TicketEvent,
    TicketKind,
    TicketPriority,
)

__all__ = ["BusinessCalendar", "ChatMessage", "ChatSession", "ReplyTemplate", "ReturnLine", "ReturnReason", "ReturnRequest",
           "Review", "SlaPolicy", "SopScenario", "Ticket", "TicketChecklistMark", "TicketEvent", "TicketKind",
           "TicketPriority"]
