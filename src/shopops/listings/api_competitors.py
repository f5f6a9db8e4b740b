"""/api/v1/competitors: the rivals with their items' latest observation and change flags, one rival, an item's
timeline, and adding a rival. Reading needs ``VIEW_PRODUCTS``, adding ``CHANGE_PRODUCTS``; another shop's rival
is as absent as a missing one (404). The JSON is ``shopops competitors --json``'s (docs/rules/listings.md#competitors)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError

from shopops.core.api_auth import current_shop, needs
from shopops.core.roles import CHANGE_PRODUCTS, VIEW_PRODUCTS
from shopops.core.schemas import ERRORS, MAX_DB_ID
from shopops.listings.selectors import competitors as sel
from shopops.listings.services import competitors as svc

router = Router(tags=["competitors"])
COMPETITOR_ID = Path(..., ge=1, le=MAX_DB_ID)
ITEM_ID = Path(..., ge=1, le=MAX_DB_ID)


class PointOut(Schema):
    date: str
    price: str | None = Field(None, description="yuan, e.g. \"59.90\"")
    promo_price: str | None = Field(None, description="promotion price (到手价) in yuan, when known")
    sales_estimate: int | None = None
    reviews: int | None = None
    rank: int | None = None
    title: str
    source: str = Field(..., description="import | manual")


class ItemOut(Schema):
    id: int
    item_id: str
    title: str
    url: str
    rivals: list[int] = Field(..., description="ids of our listings it rivals")
    latest: PointOut | None
    changes: list[str] = Field(..., description="below_price | below_floor | promo | title | image (last 30 days)")


class CompetitorOut(Schema):
    id: int
    name: str
    channel: str
    note: str
    items: list[ItemOut]


class CompetitorIn(Schema):
    name: str = Field(..., max_length=200)
    channel: str = Field("", max_length=40)
    note: str = Field("", max_length=1000)


class CompetitorEventOut(Schema):
    date: str
    kind: str
    text: str
    detail: dict


class TimelineOut(Schema):
    competitor: int
    item: int
    item_id: str
    title: str
    points: list[PointOut]
    events: list[CompetitorEventOut]


@router.get("", response={200: list[CompetitorOut], **ERRORS}, auth=needs(VIEW_PRODUCTS))
def list_competitors(request: HttpRequest) -> list[dict]:
    return sel.competitors_json(shop=current_shop(request))


@router.post("", response={201: CompetitorOut, **ERRORS}, auth=needs(CHANGE_PRODUCTS))
def add_competitor(request: HttpRequest, body: CompetitorIn) -> tuple[int, dict]:
    shop = current_shop(request)
    competitor = svc.competitor_save(shop=shop, data=body.dict())
    return 201, sel.competitors_json(shop=shop, pk=competitor.pk)[0]


@router.get("/{competitor_id}", response={200: CompetitorOut, **ERRORS}, auth=needs(VIEW_PRODUCTS))
def get_competitor(request: HttpRequest, competitor_id: int = COMPETITOR_ID) -> dict:
    found = sel.competitors_json(shop=current_shop(request), pk=competitor_id)
    if not found:
        raise HttpError(404, _("No such competitor."))
    return found[0]


@router.get("/{competitor_id}/items/{competitor_item_id}/timeline", response={200: TimelineOut, **ERRORS},
            auth=needs(VIEW_PRODUCTS))
def item_timeline(request: HttpRequest, competitor_id: int = COMPETITOR_ID,
                  competitor_item_id: int = ITEM_ID) -> dict:
    """The item's observations (imported and hand-entered, one per day) and its changes."""
    item = sel.competitor_item(shop=current_shop(request), competitor_id=competitor_id, pk=competitor_item_id)
    if item is None:
        raise HttpError(404, _("No such competitor item."))
    return sel.timeline_json(item)
