"""/api/v1/sku-matching: SKU matching (商品对应关系, docs/rules/sku-matching.md) — the unmatched order lines by key,
the mappings, map a key (to a SKU, or to a SKU made from its lines) and remove a mapping."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Path, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from shopops.catalog import selectors as catalog_selectors
from shopops.catalog.domain import MATCH_KEY_MAX
from shopops.channels.labels import channel_label
from shopops.channels.selectors import channel_accounts
from shopops.core.api_auth import current_shop, needs
from shopops.core.money import format_fen
from shopops.core.roles import ADD_PRODUCTS, CHANGE_PRODUCTS, VIEW_PRODUCTS
from shopops.core.schemas import ERRORS, MAX_DB_ID
from shopops.orders import selectors, services

router = Router(tags=["sku-matching"])


class MappingIn(Schema):
    channel_account_id: int = Field(ge=1, le=MAX_DB_ID, description="The channel account of the lines")
    key: str = Field(min_length=1, max_length=MATCH_KEY_MAX, description="The lines' match key (from /unmatched)")
    sku_id: int | None = Field(None, ge=1, le=MAX_DB_ID, description="Map to this SKU")
    new_sku_code: str = Field("", max_length=64, description="Or: create a SKU with this code from the lines")
    category: str = Field("", max_length=200, description="The new SKU's category (default 未分类)")


class RelinkOut(Schema):
    id: int
    sku_id: int | None
    lines: int = Field(description="Order lines re-linked")


class ItemsOut(Schema):
    items: list[dict]
    count: int


def _names(request: HttpRequest) -> dict[int, tuple[str, str]]:
    return {a.pk: (a.name, channel_label(a.channel)) for a in channel_accounts(shop=current_shop(request))}


def _day(value: dt.date) -> str:
    return value.isoformat()


@router.get("/unmatched", response={200: ItemsOut, **ERRORS}, auth=needs(VIEW_PRODUCTS))
def unmatched(request: HttpRequest) -> dict:
    """The order lines not matched to a SKU, one item per (channel account, match key), most GMV first, with
    up to three SKUs suggested by title."""
    shop = current_shop(request)
    groups = selectors.unmatched_groups(shop=shop)
    names = _names(request)
    suggested = catalog_selectors.sku_suggestions(
        shop=shop, texts={f"{g.channel_account_id}:{g.match_key}": f"{g.title} {g.spec}" for g in groups[:500]})
    items = [{
        "channel_account_id": g.channel_account_id, "channel_account": names.get(g.channel_account_id, ("", ""))[0],
        "channel": g.channel, "channel_name": names.get(g.channel_account_id, ("", ""))[1], "key": g.match_key,
        "seller_code": g.seller_code, "platform_item_id": g.platform_item_id, "platform_sku_id": g.platform_sku_id,
        "title": g.title, "spec": g.spec, "lines": g.lines, "units": g.units, "gmv": format_fen(g.gmv_fen),
        "unit_price": format_fen(g.unit_price_fen), "first_seen": _day(g.first_seen), "last_seen": _day(g.last_seen),
        "suggestions": [{"sku_id": sku.id, "sku_code": sku.sku_code, "title": sku.title, "score": round(score, 3)}
                        for sku, score in suggested.get(f"{g.channel_account_id}:{g.match_key}", [])],
    } for g in groups]
    return {"items": items, "count": len(items)}


@router.get("", response={200: ItemsOut, **ERRORS}, auth=needs(VIEW_PRODUCTS))
def mappings(request: HttpRequest) -> dict:
    """The shop's mappings, newest first."""
    names = _names(request)
    items = [{
        "id": m.pk, "channel_account_id": m.channel_account_id, "channel_account": names.get(m.channel_account_id, ("", ""))[0],
        "key": m.match_key, "seller_code": m.seller_code, "platform_item_id": m.platform_item_id,
        "platform_sku_id": m.platform_sku_id, "title": m.title, "spec": m.spec, "sku_id": m.sku_id,
        "sku_code": m.sku.sku_code, "created_by": m.created_by.get_username() if m.created_by else None,
        "created_at": m.created_at.isoformat(),
    } for m in catalog_selectors.sku_mappings(shop=current_shop(request))]
    return {"items": items, "count": len(items)}


@router.post("", response={201: RelinkOut, **ERRORS}, auth=needs(CHANGE_PRODUCTS))
def map_key(request: HttpRequest, data: MappingIn) -> tuple[int, dict]:
    """Map a key's lines to ``sku_id``, or to a SKU created from them (``new_sku_code``: needs the right to add
    products); their past lines are re-linked and later imports use the mapping."""
    if data.sku_id is None and data.new_sku_code and not request.auth.has_perm(ADD_PRODUCTS):
        raise HttpError(403, "Creating a SKU needs the right to add products.")
    done = services.matching_map(shop=current_shop(request), channel_account_id=data.channel_account_id,
                                 match_key=data.key, sku_id=data.sku_id, new_sku_code=data.new_sku_code,
                                 category=data.category, actor=request.auth)
    return 201, {"id": done.mapping_id, "sku_id": done.sku_id, "lines": done.lines}


@router.delete("/{mapping_id}", response={200: RelinkOut, **ERRORS}, auth=needs(CHANGE_PRODUCTS))
def unmap(request: HttpRequest, mapping_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> dict:
    """Remove a mapping; its lines are matched again without it, else unmatched again."""
    done = services.matching_unmap(shop=current_shop(request), mapping_id=mapping_id, actor=request.auth)
    return {"id": done.mapping_id, "sku_id": done.sku_id, "lines": done.lines}
