"""DuckDB == Spark for every metric (each grouping), product analysis and GMV explanation (docs/architecture.md#scale-out:
tests/conformance proves both engines return identical results)."""

from __future__ import annotations

import json

import pytest

from shopops.analytics.metrics import BY, compute
from shopops.analytics.queries.explain import gmv_explain
from shopops.analytics.queries.products import CatalogSku, analyze, sku_sales
from tests.analytics.metrics_data import D0, D1, D2, shop_data, traffic_data


def _data() -> dict:
    return {**shop_data(), **traffic_data()}


def _as_rows(result: dict) -> list[dict]:
    """A dict result as one row per top-level key (values as canonical JSON) for ``both``."""
    return [{"key": k, "value": json.dumps(v, sort_keys=True, default=str)} for k, v in result.items()]


@pytest.mark.parametrize("by", [None, *BY, ("day", "channel")])
def test_metrics_equal_on_both_engines(both, by):
    duck, spark = both(lambda t: _as_rows(compute(t, date_from=D0, date_to=D2, by=by)), _data())
    assert duck == spark
    assert duck  # not vacuous


def test_metrics_channel_filter_equal(both):
    duck, spark = both(lambda t: _as_rows(compute(t, date_from=D1, date_to=D2, by="day", channel="site")), _data())
    assert duck == spark


@pytest.mark.parametrize("by", [None, "channel", "source"])
def test_gmv_explain_equal(both, by):
    duck, spark = both(lambda t: _as_rows(gmv_explain(t, date_from=D2, date_to=D2, vs_from=D1, vs_to=D1, by=by)),
                       _data())
    assert duck == spark


def test_products_equal(both):
    catalog = {"A-1": CatalogSku("A-1", "A", "a", "c-a", 5000, True, D1),
               "B-1": CatalogSku("B-1", "B", "b", "c-b", 2000, True, None)}

    def build(t):
        sales = t.engine.rows(sku_sales(t, date_from=D0, date_to=D2))
        return _as_rows(analyze(sales, catalog, {"A-1": 3, "B-1": 0}, date_from=D0, date_to=D2))

    duck, spark = both(build, _data())
    assert duck == spark
    sales_duck, sales_spark = both(lambda t: sku_sales(t, date_from=D0, date_to=D2), _data())
    assert sales_duck == sales_spark and len(sales_duck) == 2
