"""API schemas for inventory. Quantities are whole units; times ISO 8601 in UTC."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from shopops.core.domain import MAX_STOCK_QTY as MAX_QTY
from shopops.core.schemas import code_text
from shopops.inventory.domain import MAX_TTL_SECONDS

MAX_POOL_CODE = 40  # inventory.Pool.code
PoolCode = code_text(MAX_POOL_CODE, "The flash-sale pool's code, used in its URL")


class ReservationIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    qty: int = Field(..., ge=1, le=MAX_QTY)
    ref: str = Field(..., min_length=1, max_length=100)
    channel: str = Field("", max_length=20)
    ttl_seconds: int = Field(900, ge=1, le=MAX_TTL_SECONDS)
    pool: str | None = Field(None, max_length=40)
    customer: str | None = Field(None, max_length=100)


class ReservationOut(Schema):
    id: int
    status: str
    expires_at: dt.datetime
    sku: str
    qty: int
    ref: str
    channel: str
    location: str
    pool: str | None = None
    customer: str = ""


class StockConflictOut(Schema):
    detail: str
    available: int
    errors: list = []


class MovementIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    location: str | None = Field(None, max_length=40)
    qty: int = Field(..., ge=-MAX_QTY, le=MAX_QTY)
    type: str = Field(..., pattern="^(receipt|adjustment|count)$")
    ref: str = Field(..., min_length=1, max_length=100)
    note: str = Field("", max_length=200)


class MoveOut(Schema):
    id: int
    sku: str
    location: str
    type: str
    qty: int
    ref: str
    at: dt.datetime


class MovementOut(Schema):
    created: bool
    moves: list[MoveOut]


class BalanceRow(Schema):
    location: str
    location_name: str
    on_hand: int
    reserved: int
    pooled: int
    available: int
    in_transit: int


class BalanceTotal(Schema):
    on_hand: int
    reserved: int
    pooled: int
    available: int
    in_transit: int


class BalancesOut(Schema):
    sku: str
    locations: list[BalanceRow]
    total: BalanceTotal


class SkuBalanceRow(BalanceRow):
    sku: str


class BalanceListOut(Schema):
    """Every balance (one per SKU and location), a page at a time, like every other list."""

    items: list[SkuBalanceRow]
    count: int


class PoolIn(Schema):
    code: PoolCode
    sku: str = Field(..., min_length=1, max_length=64)
    qty: int = Field(..., ge=1, le=MAX_QTY)
    per_customer_limit: int | None = Field(None, ge=1, le=MAX_QTY)
    location: str | None = Field(None, max_length=40)
    name: str = Field("", max_length=120)


class PoolOut(Schema):
    code: str
    sku: str
    location: str
    qty: int
    held: int
    sold: int
    available: int
    per_customer_limit: int | None
    status: str
