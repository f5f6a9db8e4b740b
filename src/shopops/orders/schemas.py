"""API schemas for orders. Money as strings with two decimals."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class CustomerRef(Schema):
    id: int
    code: str
    name: str


class LineOut(Schema):
    id: int
    sku_code: str | None = Field(None, description="The SKU's code; null: the line is not matched to a SKU yet.")
    seller_code: str = Field("", description="The seller code (商家编码) the export gave (SKU matching).")
    title: str
    unit_price: str
    qty: int
    amount: str
    discount: str
    paid: str


class RefundOut(Schema):
    refund_no: str
    line_id: int | None
    kind: str
    amount: str
    reason: str
    status: str
    requested_at: dt.datetime
    completed_at: dt.datetime | None


class OrderOut(Schema):
    id: int
    order_no: str
    channel: str
    channel_account: str
    customer: CustomerRef | None  # null for roles without customers.view_customer
    status: str
    placed_at: dt.datetime
    paid_at: dt.datetime
    paid_date: dt.date
    goods: str
    discount: str
    shipping: str
    paid: str
    refunded: str
    promotions: list[str]
    source: str
    province: str
    city: str
    lines: list[LineOut]
    refunds: list[RefundOut] = []


class OrderPage(Schema):
    items: list[OrderOut]
    count: int
