"""The service app's records, one module per subject (tickets, reviews, returns, chats); Django finds them here."""

from shopops.service.models.chats import ChatMessage, ChatSession

__all__ = ["ChatMessage", "ChatSession"]
