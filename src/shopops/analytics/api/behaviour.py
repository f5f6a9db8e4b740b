"""/api/v1/analytics/ routes: behaviour."""

from __future__ import annotations

from ninja import Router

router = Router()
