"""Reads of the service app, one module per subject; callers import them from here."""

from shopops.service.selectors.returns import (
    reason_label,
    return_detail,
    return_dict,
    return_list,
    return_reasons,
    returns_by_reason,
    returns_by_sku,
    returns_by_status,
    top_return_reasons,
)

__all__ = [
    "reason_label",
    "return_detail",
    "return_dict",
    "return_list",
    "return_reasons",
    "returns_by_reason",
    "returns_by_sku",
    "returns_by_status",
    "top_return_reasons",
]
