"""API schemas for products and SKUs. Money travels as strings with two decimals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from shopops.catalog.domain import MAX_CATEGORY_CODE, MAX_CATEGORY_DEPTH
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


class ListingSkuOut(Schema):
    sku_code: str
    platform_sku_id: str
    price: str | None
    status: str


class ListingOut(Schema):
    channel: str
    channel_account: str
    title: str
    subtitle: str
    keywords: list[str]
    media: list[str]  # the items' URLs
    # the items as stored, docs/rules/listings.md#media ({"kind", "url", "width", "height", "bytes", …})
    media_items: list[dict[str, Any]] = []
    status: str
    external_id: str = ""
    url: str = ""
    skus: list[ListingSkuOut] = []


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


class SkuBulkIn(Schema):
    sku_codes: list[str] = Field(description="The SKU codes to change (at most 1000); each must exist")
    price: MoneyText | None = Field(default=None, description='New price of every SKU, e.g. "129.00"')
    cost: MoneyText | None = Field(default=None, description="New unit cost of every SKU")
    active: bool | None = Field(default=None, description="On sale (true) or off shelf (false)")


class SkuBulkOut(Schema):
    items: list[SkuOut]
    count: int
    changed: int = Field(description="How many of the SKUs really changed (each has an audit entry)")


# ---------------------------------------------------------------- categories (类目)

CategoryCode = code_text(max_length=MAX_CATEGORY_CODE, description="The category's code")


class CategoryIn(Schema):
    code: CategoryCode
    # Lengths and existence are checked by the service, which says so in the user's language.
    name: str = Field(max_length=1000, description="The category's name, e.g. 连衣裙 (at most 80 characters)")
    parent: str | None = Field(default=None, max_length=1000,
                               description="The parent category's code; null or absent: a top-level category")


class CategoryPatch(Schema):
    name: str | None = Field(default=None, max_length=1000, description="A new name (absent: unchanged)")
    parent: str | None = Field(default=None, max_length=1000,
                               description="Move under this category code; null: to the top; absent: unchanged")


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None = Field(description="The parent's code, null at the top")
    path: str = Field(description="The names from the top down, e.g. 服饰 › 女装 › 连衣裙")
    depth: int = Field(description=f"1 at the top, at most {MAX_CATEGORY_DEPTH}")
    products: int
    children: int


class CategoryPage(Schema):
    items: list[CategoryOut]
    count: int
