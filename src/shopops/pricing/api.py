"""/api/v1/pricing/quote: the 到手价 of a cart under a set of promotions, explained."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shopops.core.api_auth import needs
from shopops.core.clock import now
from shopops.core.roles import VIEW_PRODUCTS
from shopops.core.schemas import ERRORS
from shopops.pricing.messages import CartRequest, quote_said
from shopops.pricing.schemas import QuoteOut

router = Router(tags=["pricing"])


@router.post("/quote", response={200: QuoteOut, **ERRORS}, auth=needs(VIEW_PRODUCTS))
def quote(request: HttpRequest, payload: CartRequest) -> dict:
    """Quote a cart: lines, promotions and time in; per-line pay, discounts, gifts, presale, applied and
    rejected promotions (with reasons) out. Money as strings with two decimals. Problems and reasons are in
    the request's language (Accept-Language; Chinese by default)."""
    return quote_said(payload, now=now())
