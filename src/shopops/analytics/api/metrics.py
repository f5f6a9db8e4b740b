"""/api/v1/analytics/ routes: metrics."""

from __future__ import annotations

from ninja import Router

router = Router()
