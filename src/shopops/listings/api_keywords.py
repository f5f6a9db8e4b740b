"""/api/v1/keywords (keyword mining, 关键词) and /api/v1/listings/{id}/suggestion (a title suggestion): the JSON of
``shopops keywords --json`` and ``shopops listings suggest --json`` (docs/formats.md#keywords). Both need
``VIEW_ANALYTICS`` (they show the search terms' orders and GMV); another shop's listing is as absent as a
missing one (404)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from shopops.core.api_auth import current_shop, needs
from shopops.core.roles import VIEW_ANALYTICS
from shopops.core.schemas import ERRORS, MAX_DB_ID
from shopops.listings.selectors.keywords import (
    keyword_report,
    keywords_json,
    listing_suggestion,
    suggestion_json,
)

router = Router(tags=["keywords"])
suggestion_router = Router(tags=["listings"])
LISTING_ID = Path(..., ge=1, le=MAX_DB_ID)


class FiguresOut(Schema):
    visitors: int = Field(..., description="访客数 summed over the days")
    clicks: int
    orders: int
    gmv: Decimal = Field(..., description="成交金额, yuan")
    conversion: Decimal | None = Field(..., description="orders ÷ visitors (÷ clicks without visitors)")


class TermOut(FiguresOut):
    term: str
    roots: list[str]
    trend: Decimal | None = Field(..., description="change of visitors (or clicks) against the previous period")
    previous: FiguresOut


class RootOut(FiguresOut):
    root: str
    terms: int = Field(..., description="how many terms contain the root")
    trend: Decimal | None
    previous: FiguresOut


class KeywordsOut(Schema):
    from_: str = Field(..., alias="from")
    to: str
    previous_from: str
    previous_to: str
    channel: str
    total: FiguresOut
    term_count: int
    root_count: int
    terms: list[TermOut]
    roots: list[RootOut]


class KeywordFilters(Schema):
    from_: str = Field("", alias="from", description="first date, YYYY-MM-DD")
    to: str = Field("", description="last date, YYYY-MM-DD")
    channel: str = Field("", description="a channel code or name; empty: all")
    limit: int = Field(500, ge=1, le=10_000, description="at most this many terms and roots")


@router.get("", response={200: KeywordsOut, **ERRORS}, auth=needs(VIEW_ANALYTICS), by_alias=True)
def keywords(request: HttpRequest, filters: Query[KeywordFilters]) -> dict:
    """Search terms and their roots over ``from..to`` (best first: orders, GMV, traffic)."""
    period, mined = keyword_report(shop=current_shop(request), date_from=filters.from_, date_to=filters.to,
                                   channel=filters.channel)
    return keywords_json(period, mined, limit=filters.limit)


class CoverageOut(Schema):
    coverage: Decimal | None = Field(..., description="covered orders ÷ orders of the converting terms")
    covered_orders: int
    orders: int
    covered_terms: list[str]


class LengthOut(Schema):
    value: int
    limit: int
    unit: str


class GapOut(Schema):
    term: str
    roots: list[str]
    orders: int
    gmv: Decimal
    conversion: Decimal | None


class RootGapOut(Schema):
    root: str
    orders: int
    gmv: Decimal


class SuggestionOut(Schema):
    listing: int
    channel: str
    title: str
    suggestion: str
    length: LengthOut
    from_: str = Field(..., alias="from")
    to: str
    basis: str = Field(..., description="item: the listing's own terms; channel: its channel's terms")
    before: CoverageOut
    after: CoverageOut
    added_terms: list[str]
    added_words: list[str]
    dropped_words: list[str]
    gaps: list[GapOut]
    root_gaps: list[RootGapOut]


class SuggestionFilters(Schema):
    from_: str = Field("", alias="from", description="first date; default the 30 days up to the last term day")
    to: str = Field("", description="last date")


@suggestion_router.get("/{listing_id}/suggestion", response={200: SuggestionOut, **ERRORS},
                       auth=needs(VIEW_ANALYTICS), by_alias=True)
def suggestion(request: HttpRequest, filters: Query[SuggestionFilters], listing_id: int = LISTING_ID) -> dict:
    """A title suggestion for one listing, with its keyword coverage before and after and its gaps."""
    return suggestion_json(listing_suggestion(shop=current_shop(request), listing_id=listing_id,
                                              date_from=filters.from_ or None, date_to=filters.to or None))
