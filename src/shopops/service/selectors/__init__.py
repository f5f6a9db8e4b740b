"""Reads of the service app, one module per subject (``chats``, ``reviews``…)."""

from shopops.service.selectors.reviews import (
    bad_review_effects,
    bad_reviews,
    dsr_period,
    shop_dsr,
    shop_dsr_assessment,
    shop_dsr_trend,
)

__all__ = ["bad_review_effects", "bad_reviews", "dsr_period", "shop_dsr",
           "shop_dsr_assessment", "shop_dsr_trend"]
