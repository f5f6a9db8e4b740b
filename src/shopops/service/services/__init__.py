"""Writes of the service app, one module per subject (``reviews``…)."""

from shopops.service.services.reviews import ReviewRow, ReviewsResult, reviews_upsert

__all__ = ["ReviewRow", "ReviewsResult", "reviews_upsert"]
