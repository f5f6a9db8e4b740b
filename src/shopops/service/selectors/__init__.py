"""Reads of the service app, one module per subject (``chats``, ``reviews``, ``returns``, ``tickets``,
``calendars``…); callers import them from here (chats, tickets, calendars: their modules)."""

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
from shopops.service.selectors.reviews import (
    bad_review_effects,
    bad_reviews,
    dsr_period,
    review_list,
    shop_dsr,
    shop_dsr_assessment,
    shop_dsr_trend,
)

__all__ = [
    "bad_review_effects", "bad_reviews", "dsr_period", "reason_label", "return_detail", "return_dict", "return_list",
    "return_reasons", "review_list", "returns_by_reason", "returns_by_sku", "returns_by_status", "shop_dsr", "shop_dsr_assessment",
    "shop_dsr_trend", "top_return_reasons",
]
