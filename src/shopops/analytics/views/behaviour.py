"""Analytics pages: behaviour."""

from __future__ import annotations

urlpatterns: list = []
