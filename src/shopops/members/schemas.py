"""API schemas for customers."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class IdentityOut(Schema):
    channel: str
    external_id: str


class CustomerOut(Schema):
    id: int
    code: str
    name: str
    phone_masked: str
    province: str
    city: str
    created_at: dt.datetime
    orders_count: int
    total_paid: str
    first_order_at: dt.datetime | None
    last_order_at: dt.datetime | None
    identities: list[IdentityOut]


class CustomerPage(Schema):
    items: list[CustomerOut]
    count: int
