"""Writes of the service app, one module per subject (``chats``, ``reviews``, ``returns``…); callers import them
from here (chats: ``services.chats``)."""

from shopops.service.services.returns import (
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
)
from shopops.service.services.returns_import import ImportedReturn, ReturnsImported, returns_import
from shopops.service.services.reviews import ReviewRow, ReviewsResult, reviews_upsert

__all__ = [
    "ImportedReturn", "ReturnLineInput", "ReturnsImported", "ReviewRow", "ReviewsResult", "reviews_upsert",
    "return_approve", "return_exchange", "return_reason_create", "return_reasons_ensure", "return_receive",
    "return_refund", "return_reject", "return_request", "return_ship", "returns_import",
]
