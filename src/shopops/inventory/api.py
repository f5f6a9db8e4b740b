"""/api/v1/inventory/..."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["inventory"])
