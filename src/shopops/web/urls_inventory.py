"""Pages of the inventory app (included into the web namespace by web/urls.py)."""

from __future__ import annotations

urlpatterns: list = []
