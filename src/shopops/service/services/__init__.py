"""Writes of the service app, one module per subject; each service is atomic and audited. Returns and reviews are
imported from here; the others from their modules:

  calendars.py  business calendars (a shop's default, created on first use) and SLA policies
  tickets.py    tickets: open (merging into the open ticket of the same customer and order), assign, reply,
                customer message, note, pause/resume, resolve, close, merge
  sla.py        a ticket's SLA due times and state, and ``sla_sweep`` raising to-dos on warnings and breaches
  chats.py      chat sessions and messages from the chat exports
"""

from shopops.service.services.returns import (
    ReturnableLine,
    ReturnLineInput,
    return_approve,
    return_exchange,
    return_reason_create,
    return_reasons_ensure,
    return_receive,
    return_refund,
    return_reject,
    return_request,
    return_ship,
    returnable_lines,
)
from shopops.service.services.returns_import import ImportedReturn, ReturnsImported, returns_import
from shopops.service.services.reviews import ReviewRow, ReviewsResult, reviews_upsert

__all__ = [
    "ImportedReturn", "ReturnLineInput", "ReturnableLine", "returnable_lines", "ReturnsImported", "ReviewRow", "ReviewsResult", "reviews_upsert",
    "return_approve", "return_exchange", "return_reason_create", "return_reasons_ensure", "return_receive",
    "return_refund", "return_reject", "return_request", "return_ship", "returns_import",
]
