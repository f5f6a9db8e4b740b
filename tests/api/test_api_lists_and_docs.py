"""The API as a caller meets it: every list is ``{"items", "count"}`` (imports keep their older ``results``),
the stock balances can be listed whole, and /api/v1/docs needs nothing outside the site."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from shopops.catalog.selectors import skus_by_code
from shopops.imports.services import import_job_create
from shopops.inventory import services as stock
from shopops.inventory.models import Balance

# ------------------------------------------------------------------------------------------------ imports


def test_the_imports_list_has_items_and_count_and_keeps_results(api_as, shop, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    for _ in range(3):
        import_job_create(shop=shop, format_name="jd-orders", path=str(path))
    listed = api_as("operator").get("/api/v1/imports?limit=2").json()
    assert listed["count"] >= 3 and len(listed["items"]) == 2
    assert listed["results"] == listed["items"]  # the older name, kept for existing callers
    assert {"job", "format", "status", "rows"} <= set(listed["items"][0])


def test_the_schema_marks_results_deprecated(api_as):
    schema = api_as("viewer").get("/api/v1/openapi.json").json()
    answer = schema["paths"]["/api/v1/imports"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    name = answer["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][name]["properties"]
    assert {"items", "count", "results"} <= set(properties)
    assert properties["results"].get("deprecated") is True
    assert "Deprecated" in properties["results"]["description"]


# ----------------------------------------------------------------------------------------------- balances


@pytest.fixture
def stocked(shop):
    skus = sorted(skus_by_code(shop=shop).values(), key=lambda s: s.sku_code)[:3]
    for i, sku in enumerate(skus):
        stock.stock_move(shop=shop, sku_code=sku.sku_code, qty=5 + i, type="receipt", ref=f"list-{i}")
    return skus


def test_balances_without_a_sku_list_every_balance_a_page_at_a_time(api_as, shop, stocked):
    client = api_as("viewer")
    first = client.get("/api/v1/inventory/balances")
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["count"] == Balance.objects.filter(shop=shop).count() >= 3
    every = []
    for offset in range(0, body["count"], 200):
        every += client.get(f"/api/v1/inventory/balances?limit=200&offset={offset}").json()["items"]
    assert len(every) == body["count"]
    assert [row["sku"] for row in every] == sorted(row["sku"] for row in every)
    row = next(r for r in every if r["sku"] == stocked[1].sku_code)
    assert row == {"sku": stocked[1].sku_code, "location": "main", "location_name": row["location_name"],
                   "on_hand": 6, "reserved": 0, "pooled": 0, "available": 6, "in_transit": 0}
    page = client.get("/api/v1/inventory/balances?limit=1&offset=1").json()
    assert page["items"] == every[1:2] and page["count"] == body["count"]


def test_balances_of_one_sku_are_unchanged(api_as, stocked):
    one = api_as("viewer").get(f"/api/v1/inventory/balances?sku={stocked[0].sku_code}").json()
    assert one["sku"] == stocked[0].sku_code and one["total"]["on_hand"] >= 5 and "items" not in one
    assert api_as("viewer").get("/api/v1/inventory/balances?limit=0").status_code == 422


# --------------------------------------------------------------------------------------------------- docs


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_the_api_docs_need_nothing_outside_the_site(client_as):
    client = client_as("admin")
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)
    links = _Links()
    links.feed(html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in links.urls)
    for url in links.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        served = client.get(url)
        assert served.status_code == 200, url
        served.close()
    # Swagger UI fetches a validator badge from validator.swagger.io unless validatorUrl is null
    assert re.search(r'"validatorUrl":\s*null', html)
