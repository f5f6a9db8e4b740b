"""/api/v1/listings: the listing audit (docs/rules/listings.md#audit) — check one title, list the audits worst
first, read one listing's audit, queue the bulk audit. Reading and checking need the products view permission,
queuing an audit the products change one (it writes audits and to-dos)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from shopops.channels.domain import channel_code_of
from shopops.core.api_auth import current_shop, needs
from shopops.core.errors import FieldError, InvalidInput, NotFound
from shopops.core.roles import CHANGE_PRODUCTS, VIEW_PRODUCTS
from shopops.core.schemas import ERRORS, MAX_DB_ID, PageParams
from shopops.listings.selectors import audits as selectors
from shopops.listings.services.audits import listing_audit_current
from shopops.listings.tasks import queue_audit

router = Router(tags=["listings"])
ListingId = Path(..., ge=1, le=MAX_DB_ID)


class CheckIn(Schema):
    channel: str = Field(..., max_length=40, description="channel code (tmall) or name (天猫)")
    title: str = Field(..., max_length=selectors.MAX_TITLE)


class AuditIn(Schema):
    channel: str | None = Field(None, max_length=40, description="only this channel's listings")


class AuditFilters(PageParams):
    channel: str | None = Field(None, max_length=40)
    category: str | None = Field(None, max_length=40, description="category code (those under it too)")
    rule: str | None = Field(None, max_length=40, description="a rule code found, e.g. ad_law")
    severity: str | None = Field(None, max_length=10, description="error, warning or info")


def _channel(value: str | None) -> str | None:
    if not value:
        return None
    code = channel_code_of(value)
    if code is None:
        raise InvalidInput(_("Invalid input."), [FieldError("channel", _("“%(value)s” is not a channel.")
                                                            % {"value": value})])
    return code


@router.post("/check", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_PRODUCTS))
def check_title(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    return selectors.title_check(shop=current_shop(request), channel=payload.channel, title=payload.title)


@router.get("", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_PRODUCTS))
def list_audits(request: HttpRequest, filters: Query[AuditFilters]) -> dict[str, Any]:
    found = selectors.audits(shop=current_shop(request), channel=_channel(filters.channel),
                             category=filters.category, rule=filters.rule, severity=filters.severity)
    page = found[filters.offset:filters.offset + filters.limit]
    return {"items": [selectors.audit_json(a) for a in page], "count": found.count()}


@router.post("/audit", response={202: dict[str, Any], **ERRORS}, auth=needs(CHANGE_PRODUCTS))
def queue_bulk_audit(request: HttpRequest, payload: AuditIn) -> tuple[int, dict[str, Any]]:
    shop = current_shop(request)
    queue_audit(shop=shop, channel=_channel(payload.channel))
    return 202, selectors.audit_progress(shop=shop)


@router.get("/audit", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_PRODUCTS))
def audit_progress(request: HttpRequest) -> dict[str, Any]:
    return selectors.audit_progress(shop=current_shop(request))


@router.get("/{listing_id}", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_PRODUCTS))
def listing_audit(request: HttpRequest, listing_id: int = ListingId) -> dict[str, Any]:
    found = listing_audit_current(shop=current_shop(request), listing_id=listing_id)
    if found is None:
        raise NotFound(_("No such listing."))
    return selectors.audit_json(found)
