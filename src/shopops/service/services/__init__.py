"""Writes of the service app, one module per subject (``chats``, ``reviews``…)."""

from shopops.service.services.reviews import ReviewRow, ReviewsResult, reviews_upsert

__all__ = ["ReviewRow", "ReviewsResult", "reviews_upsert"]
