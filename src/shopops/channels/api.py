"""/api/v1/ routes of channels."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["channels"])
