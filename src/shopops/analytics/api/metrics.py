"""/api/v1/analytics/ routes: metrics, product analysis, GMV explanation — the same JSON as the CLI
(``shopops metrics``, ``shopops products analyze``, ``shopops gmv explain``). Money as strings with two
decimals, rates as numbers in 0..1 (null when undefined). Bad input → 422 naming the field."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from shopops.analytics.schemas import explain_json, products_json, report_json
from shopops.analytics.selectors import metrics as metric_selectors
from shopops.analytics.selectors import products as product_selectors
from shopops.core.api_auth import current_shop, needs
from shopops.core.roles import VIEW_ANALYTICS
from shopops.core.schemas import ERRORS

router = Router()


class PeriodQuery(Schema):
    model_config = ConfigDict(populate_by_name=True)

    date_from: str = Field("", alias="from", max_length=20, description="first business date, YYYY-MM-DD")
    date_to: str = Field("", alias="to", max_length=20, description="last business date, YYYY-MM-DD")


class MetricsQuery(PeriodQuery):
    by: str = Field("", max_length=20, description="day|week|month|channel|source|product|category")
    channel: str = Field("", max_length=40)
    metrics: str = Field("", max_length=400, description="comma-separated metric names (default: all)")


class ExplainQuery(PeriodQuery):
    vs: str = Field("", max_length=50, description="the period to compare with: YYYY-MM-DD..YYYY-MM-DD")
    by: str = Field("", max_length=20, description="channel|source")


@router.get("/metrics", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_ANALYTICS))
def metrics(request: HttpRequest, query: Query[MetricsQuery]) -> dict:
    """`{"rows": [...], "totals": {...}, "notes": [...], "by": [...], "metrics": [...], "period": {...}}`."""
    return report_json(metric_selectors.metrics_report(shop=current_shop(request), date_from=query.date_from,
                                                       date_to=query.date_to, by=query.by, channel=query.channel,
                                                       metrics=query.metrics))


@router.get("/metrics/definitions", response={200: list[dict[str, Any]], **ERRORS}, auth=needs(VIEW_ANALYTICS))
def metric_definitions(request: HttpRequest) -> list:
    """Every metric: name, Chinese and English names, formula, kind, additivity, grain and source tables."""
    return metric_selectors.metric_catalog()


@router.get("/products", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_ANALYTICS))
def products(request: HttpRequest, query: Query[PeriodQuery]) -> dict:
    """Product analysis: ABC by GMV, 动销率, sell-through, price bands, new vs old products."""
    return products_json(product_selectors.products_analysis(shop=current_shop(request), date_from=query.date_from,
                                                             date_to=query.date_to))


@router.get("/gmv-explain", response={200: dict[str, Any], **ERRORS}, auth=needs(VIEW_ANALYTICS))
def gmv_explain(request: HttpRequest, query: Query[ExplainQuery]) -> dict:
    """The GMV change split into UV, CVR and AOV parts (exact; parts add up to the change)."""
    return explain_json(metric_selectors.gmv_explanation(shop=current_shop(request), date_from=query.date_from,
                                                         date_to=query.date_to, vs=query.vs, by=query.by))
