"""/api/v1/pricing/quote: the 到手价 of a cart under a set of promotions, explained."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router

from shopops.core.api_auth import needs
from shopops.core.clock import now
from shopops.core.roles import VIEW_PRODUCTS
from shopops.core.schemas import ERRORS
from shopops.pricing.contract import quote_from_json

router = Router(tags=["pricing"])


@router.post("/quote", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_PRODUCTS))
def quote(request: HttpRequest, payload: dict[str, Any] = Body(...)) -> dict:  # noqa: B008
    """Quote a cart: lines, promotions and time in; per-line pay, discounts, gifts, presale, applied and
    rejected promotions (with reasons) out. Money as strings with two decimals."""
    return quote_from_json(payload, now=now())
