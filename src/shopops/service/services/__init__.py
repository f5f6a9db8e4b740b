"""Writes of the service app, one module per subject; callers import them from here."""

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

__all__ = [
    "ImportedReturn",
    "ReturnsImported",
    "ReturnLineInput",
    "return_approve",
    "return_exchange",
    "return_reason_create",
    "return_reasons_ensure",
    "return_receive",
    "return_refund",
    "return_reject",
    "return_request",
    "return_ship",
    "returns_import",
]
