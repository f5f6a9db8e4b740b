"""The REST API at /api/v1/ (OpenAPI at /api/v1/openapi.json).

Errors are always JSON ``{"detail": ..., "errors": [{"field", "message"}]}`` with a 4xx code: bad input
never gives a 500.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from shopops import __version__
from shopops.analytics.api import router as analytics_router
from shopops.campaigns.api import router as campaigns_router
from shopops.catalog.api import categories_router, skus_router
from shopops.catalog.api import router as catalog_router
from shopops.channels.api import router as channel_accounts_router
from shopops.core.api import router as core_router
from shopops.core.api_auth import UNDECLARED, needs
from shopops.core.errors import ShopOpsError
from shopops.imports.api import router as channels_router
from shopops.inventory.api import router as inventory_router
from shopops.listings.api_audits import router as listings_audits_router
from shopops.listings.api_competitors import router as competitors_router
from shopops.listings.api_keywords import router as keywords_router
from shopops.listings.api_keywords import suggestion_router as listing_suggestion_router
from shopops.listings.api_titles import router as listings_titles_router
from shopops.members.api import router as members_router
from shopops.orders.api import router as orders_router
from shopops.orders.matching_api import router as matching_router
from shopops.pricing.api import router as pricing_router
from shopops.reports.api import router as reports_router
from shopops.service.api_returns import router as service_returns_router
from shopops.service.api_sop import router as service_sop_router
from shopops.service.api_tickets import router as service_tickets_router

api = NinjaAPI(
    title="ShopOps API",
    version=__version__,
    description="电商运营工作台 ShopOps: orders, products, customers and more.",
    auth=needs(UNDECLARED),
    urls_namespace="api",
    # /api/v1/docs works offline: Swagger UI's files come from ninja's static folder ("ninja" is an installed
    # app), and no validator badge is fetched from validator.swagger.io (its default when this is unset).
    docs=Swagger(settings={"validatorUrl": None}),
)


def _error(request: HttpRequest, status: int, detail: str, errors: list[dict] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _field_name(loc: tuple | list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form", "header")]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "body"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _field_name(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors]
    return _error(request, 422, _("Invalid input."), errors)


@api.exception_handler(ShopOpsError)
def _shopops_error(request: HttpRequest, exc: ShopOpsError) -> HttpResponse:
    return _error(request, exc.http_status, exc.detail, [e.as_dict() for e in exc.errors])


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, _("Authentication required: log in or send a Bearer token."))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


api.add_router("", core_router)
api.add_router("/products", catalog_router)
api.add_router("/skus", skus_router)
api.add_router("/categories", categories_router)
api.add_router("/orders", orders_router)
api.add_router("/sku-matching", matching_router)
api.add_router("/customers", members_router)
api.add_router("/pricing", pricing_router)
api.add_router("/imports", channels_router)
api.add_router("/channel-accounts", channel_accounts_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/inventory", inventory_router)
api.add_router("/todos", reports_router)
api.add_router("/analytics", analytics_router)
api.add_router("/service/returns", service_returns_router)
api.add_router("/service/tickets", service_tickets_router)
api.add_router("/service/templates", service_sop_router)
api.add_router("/competitors", competitors_router)
api.add_router("/keywords", keywords_router)
# the dictionary and title history first: the listing audit router's /listings/{id} would take /listings/dictionary
api.add_router("/listings", listings_titles_router)
api.add_router("/listings", listings_audits_router)
api.add_router("/listings", listing_suggestion_router)
