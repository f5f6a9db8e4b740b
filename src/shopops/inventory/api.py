"""/api/v1/inventory: reservations (idempotent by ref), balances, ledger movements, flash-sale pools.

``POST /reservations`` answers 201 when it created the reservation and 200 when the same ``ref`` was sent
before (the stored reservation, whatever its status now); 409 ``{"detail", "available"}`` when there is not
enough stock (or pool stock, or the customer's limit is reached). ``POST /movements`` is idempotent the same
way (201 new, 200 replay).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from shopops.core.api_auth import current_shop, needs
from shopops.core.errors import NotFound
from shopops.core.roles import CHANGE_STOCK, VIEW_STOCK
from shopops.core.schemas import ERRORS, MAX_DB_ID, PageParams
from shopops.inventory import selectors, services
from shopops.inventory.schemas import (
    BalanceListOut,
    BalancesOut,
    MovementIn,
    MovementOut,
    PoolIn,
    PoolOut,
    ReservationIn,
    ReservationOut,
    StockConflictOut,
)

router = Router(tags=["inventory"])

RESERVATION_ERRORS = {**ERRORS, 409: StockConflictOut}


def reservation_out(r) -> dict:
    return {"id": r.pk, "status": r.status, "expires_at": r.expires_at, "sku": r.sku.sku_code, "qty": r.qty,
            "ref": r.ref, "channel": r.channel, "location": r.location.code,
            "pool": r.pool.code if r.pool_id else None, "customer": r.customer}


def _conflict(exc: services.StockConflict) -> tuple[int, dict]:
    return 409, {"detail": exc.detail, "available": exc.available, "errors": []}


@router.post("/reservations", response={200: ReservationOut, 201: ReservationOut, **RESERVATION_ERRORS},
             auth=needs(CHANGE_STOCK))
def create_reservation(request: HttpRequest, payload: ReservationIn) -> tuple[int, dict]:
    try:
        reservation, created = services.reservation_create(
            shop=current_shop(request), sku_code=payload.sku, qty=payload.qty, ref=payload.ref,
            channel=payload.channel, ttl_seconds=payload.ttl_seconds, pool_code=payload.pool,
            customer=payload.customer or "")
    except services.StockConflict as exc:
        return _conflict(exc)
    return (201 if created else 200), reservation_out(reservation)


class ReservationPath(Schema):
    reservation_id: int = Field(..., ge=1, le=MAX_DB_ID)


@router.get("/reservations/{reservation_id}", response={200: ReservationOut, **ERRORS}, auth=needs(VIEW_STOCK))
def get_reservation(request: HttpRequest, path: Path[ReservationPath]) -> dict:
    found = selectors.reservation_get(shop=current_shop(request), pk=path.reservation_id)
    if found is None:
        raise NotFound("No such reservation.")
    return reservation_out(found)


@router.post("/reservations/{reservation_id}/commit", response={200: ReservationOut, **ERRORS},
             auth=needs(CHANGE_STOCK))
def commit_reservation(request: HttpRequest, path: Path[ReservationPath]) -> dict:
    return reservation_out(services.reservation_commit(shop=current_shop(request), reservation_id=path.reservation_id,
                                                       actor=request.auth))


@router.post("/reservations/{reservation_id}/release", response={200: ReservationOut, **ERRORS},
             auth=needs(CHANGE_STOCK))
def release_reservation(request: HttpRequest, path: Path[ReservationPath]) -> dict:
    return reservation_out(services.reservation_release(shop=current_shop(request),
                                                        reservation_id=path.reservation_id))


class BalanceQuery(PageParams):
    sku: str | None = Field(None, min_length=1, max_length=64,
                            description="one SKU's balances per location and in total; without it, every balance")


@router.get("/balances", response={200: BalancesOut | BalanceListOut, **ERRORS}, auth=needs(VIEW_STOCK))
def get_balances(request: HttpRequest, query: Query[BalanceQuery]) -> dict:
    """``?sku=CODE``: that SKU per location and in total. Without ``sku``: every balance (one per SKU and
    location, by SKU code) as ``{"items", "count"}``, paged by ``limit``/``offset`` like every list."""
    shop = current_shop(request)
    if query.sku is None:
        qs = selectors.balances_all(shop=shop)
        page = qs[query.offset : query.offset + query.limit]
        return {"items": [{"sku": b.sku.sku_code, **selectors.balance_row(b)} for b in page], "count": qs.count()}
    sku = selectors.sku_get(shop=shop, sku_code=query.sku)
    if sku is None:
        raise NotFound("No such SKU.")
    return {"sku": sku.sku_code, **selectors.balances_for_sku(shop=shop, sku_id=sku.pk)}


@router.post("/movements", response={200: MovementOut, 201: MovementOut, **RESERVATION_ERRORS},
             auth=needs(CHANGE_STOCK))
def create_movement(request: HttpRequest, payload: MovementIn) -> tuple[int, dict]:
    try:
        result = services.stock_move(
            shop=current_shop(request), sku_code=payload.sku, qty=payload.qty, type=payload.type, ref=payload.ref,
            location_code=payload.location, actor=request.auth, note=payload.note,
            allowed_types=("receipt", "adjustment", "count"))
    except services.StockConflict as exc:
        return _conflict(exc)
    moves = [{"id": m.pk, "sku": payload.sku, "location": m.location.code, "type": m.type, "qty": m.qty,
              "ref": m.ref, "at": m.at} for m in result.moves]
    return (201 if result.created else 200), {"created": result.created, "moves": moves}


def pool_out(pool) -> dict:
    return {"code": pool.code, "sku": pool.sku.sku_code, "location": pool.location.code, "qty": pool.qty,
            "held": pool.reserved, "sold": pool.sold,
            "available": pool.qty - pool.reserved if pool.status == "open" else 0,
            "per_customer_limit": pool.per_customer_limit, "status": pool.status}


@router.post("/pools", response={201: PoolOut, **RESERVATION_ERRORS}, auth=needs(CHANGE_STOCK))
def create_pool(request: HttpRequest, payload: PoolIn) -> tuple[int, dict]:
    try:
        pool = services.pool_create(shop=current_shop(request), code=payload.code, sku_code=payload.sku,
                                    qty=payload.qty, per_customer_limit=payload.per_customer_limit,
                                    location_code=payload.location, name=payload.name)
    except services.StockConflict as exc:
        return _conflict(exc)
    return 201, pool_out(pool)


class PoolPath(Schema):
    pool_code: str = Field(..., min_length=1, max_length=40)


# ``path``: any stored code is reachable (new ones follow the code rule; older ones may hold a "/", sent as %2F).
@router.post("/pools/{path:pool_code}/close", response={200: PoolOut, **ERRORS}, auth=needs(CHANGE_STOCK))
def close_pool(request: HttpRequest, path: Path[PoolPath]) -> dict:
    return pool_out(services.pool_close(shop=current_shop(request), code=path.pool_code))

