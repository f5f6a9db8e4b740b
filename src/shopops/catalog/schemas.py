"""API schemas for products and SKUs. Money travels as strings with two decimals."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from shopops.catalog.domain import MAX_CATEGORY_CODE
from shopops.core.schemas import MoneyText, code_text

# New codes follow the one code rule (core.domain.code_problem).
SkuCode = code_text(description="The seller's SKU code (商家编码)")
SpuCode = code_text(description="The product's SPU code (款号)")


class SkuIn(Schema):
    sku_code: SkuCode
    price: MoneyText = Field(description='Price in yuan as a string, e.g. "129.00"')
    cost: MoneyText = Field(description='Unit cost in yuan as a string, e.g. "40.00"')
    attributes: dict[str, str] = {}
    barcode: str = Field(default="", max_length=32)


class ProductIn(Schema):
    spu_code: SpuCode
    title: str = Field(min_length=1, max_length=200)
    category: str = Field(min_length=1, max_length=80,
                          description=f"Category code (at most {MAX_CATEGORY_CODE} characters) or name")
    brand: str = Field(default="", max_length=80)
    description: str = Field(default="", max_length=20000)
    skus: list[SkuIn] = Field(min_length=1, max_length=500)


class SkuOut(Schema):
    id: int
    sku_code: str
    price: str
    cost: str | None
    attributes: dict[str, str]
    barcode: str
    active: bool


class ListingOut(Schema):
    channel: str
    channel_account: str
    title: str
    subtitle: str
    keywords: list[str]
    media: list[str]
    status: str


class ProductOut(Schema):
    id: int
    spu_code: str
    title: str
    category: str
    category_name: str
    brand: str
    status: str
    launched_on: dt.date | None
    skus: list[SkuOut]
    listings: list[ListingOut] = []


class ProductPage(Schema):
    items: list[ProductOut]
    count: int


class SkuPatch(Schema):
    price: MoneyText | None = Field(default=None, description='New price in yuan, e.g. "129.00"')
    cost: MoneyText | None = Field(default=None, description='New unit cost in yuan')
    active: bool | None = None
