"""/api/v1/analytics/ routes: alerts."""

from __future__ import annotations

from ninja import Router

router = Router()
