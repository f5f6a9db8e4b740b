"""/api/v1/ routes of reports."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["reports"])
