"""/api/v1/analytics/ routes: the same queries as the CLI, answering the same JSON.

One module per area (metrics, behaviour, alerts), each with its own router, assembled here.
"""

from __future__ import annotations

from ninja import Router

from shopops.analytics.api import alerts, behaviour, metrics

router = Router(tags=["analytics"])
for _module in (metrics, behaviour, alerts):
    router.add_router("", _module.router)
