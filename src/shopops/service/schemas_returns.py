"""API schemas of returns (售后). Money as strings with two decimals; times ISO 8601."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from shopops.core.domain import MAX_LINE_QTY
from shopops.core.schemas import MAX_DB_ID, MoneyText, PageParams


class ReturnFilters(PageParams):
    status: str = Field("", max_length=12)
    kind: str = Field("", max_length=16)
    reason: str = Field("", max_length=40)
    channel: str = Field("", max_length=20)
    q: str = Field("", max_length=64, description="order number or the platform's after-sale number")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    order_id: int | None = Field(None, ge=1, le=MAX_DB_ID)


class ReturnLineIn(Schema):
    line_id: int = Field(..., ge=1, le=MAX_DB_ID, description="the order line's id")
    qty: int = Field(..., ge=1, le=MAX_LINE_QTY)
    amount: MoneyText | None = Field(None, description="refund asked for these units; default: all that is "
                                                       "refundable (docs/rules/returns.md#refundable-amount)")
    exchange_sku: str = Field("", max_length=64, description="exchange: the replacement's SKU code (default: same)")


class ReturnIn(Schema):
    order_id: int = Field(..., ge=1, le=MAX_DB_ID)
    kind: str = Field(..., max_length=16, description="refund_only | return_refund | exchange")
    reason: str = Field(..., max_length=40, description="a reason code (GET /service/returns/reasons)")
    lines: list[ReturnLineIn] = Field(..., min_length=1, max_length=200)
    note: str = Field("", max_length=500)
    external_no: str = Field("", max_length=64, description="the platform's after-sale number: makes it idempotent")


class RejectIn(Schema):
    reason: str = Field("", max_length=500, description="required: the service says so after finding the return")


class ShipIn(Schema):
    logistics_company: str = Field("", max_length=60, description="required (checked after finding the return)")
    logistics_no: str = Field("", max_length=60, description="required (checked after finding the return)")


class ConditionIn(Schema):
    line_id: int = Field(..., ge=1, le=MAX_DB_ID, description="the return line's id")
    condition: str = Field(..., max_length=10, description="sellable | defective")


class ReceiveIn(Schema):
    lines: list[ConditionIn] = Field([], max_length=200, description="lines not named are sellable")
    location: str | None = Field(None, max_length=40, description="where sellable units go (default location)")


class ReturnLineOut(Schema):
    id: int
    order_line_id: int | None
    sku_code: str | None
    title: str
    qty: int
    amount: str
    refunded: str
    condition: str
    exchange_sku_code: str | None


class ReturnOut(Schema):
    id: int
    order_id: int
    order_no: str
    channel: str
    channel_name: str
    kind: str
    kind_name: str
    reason: str
    reason_name: str
    status: str
    status_name: str
    note: str
    reject_reason: str
    logistics_company: str
    logistics_no: str
    external_no: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    shipped_at: dt.datetime | None
    received_at: dt.datetime | None
    completed_at: dt.datetime | None
    refunded: str
    asked: str | None = None
    lines: list[ReturnLineOut] = []


class ReturnPage(Schema):
    items: list[ReturnOut]
    count: int


class ReasonOut(Schema):
    code: str
    name: str
