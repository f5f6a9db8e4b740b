"""Writes of the service app, one module per subject; callers import them from here."""

from shopops.service.services.returns import (
    ReturnLineInput,
    return_approve,
    return_exchange,
    return_reasons_ensure,
    return_receive,
    return_refund,
    return_reject,
    return_request,
    return_ship,
)

__all__ = [
    "ReturnLineInput",
    "return_approve",
    "return_exchange",
    "return_reasons_ensure",
    "return_receive",
    "return_refund",
    "return_reject",
    "return_request",
    "return_ship",
]
