"""/api/v1/analytics/ routes: the same queries as the CLI (metrics, funnel, paths, retention, products,
gmv explain, alerts), answering the same JSON."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["analytics"])
