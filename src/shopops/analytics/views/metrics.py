"""Analytics pages: metrics."""

from __future__ import annotations

urlpatterns: list = []
