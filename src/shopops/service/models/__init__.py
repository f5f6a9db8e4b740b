"""The service app's records, one module per subject (tickets, reviews, returns, chats); Django finds them here."""

from shopops.service.models.returns import ReturnLine, ReturnReason, ReturnRequest

__all__ = ["ReturnLine", "ReturnReason", "ReturnRequest"]
