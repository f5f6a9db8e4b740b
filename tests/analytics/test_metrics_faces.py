"""The metric faces on the test demo shop: API (/api/v1/analytics/...), CLI (call_command) and pages.

The shop's orders are copied into a temporary lake (orders.services.order_facts_refresh), so pages and endpoints
show real data; a new shop with an empty lake renders cleanly.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from shopops.channels.services import channel_accounts_create_defaults
from shopops.core import roles
from shopops.core.money import parse_fen
from shopops.core.services import shop_create, user_create

FROM, TO = "2026-11-01", "2026-11-20"
VS = "2026-10-13..2026-10-31"


@pytest.fixture
def lake(settings, tmp_path, shop):
    from shopops.orders.services import order_facts_refresh

    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    order_facts_refresh(shop=shop)
    return tmp_path / "lake"


def _db_gmv(shop, start, end) -> tuple[int, int, int]:
    from django.db.models import Sum

    from shopops.orders.models import Order

    qs = Order.objects.filter(shop=shop, paid_date__range=(start, end))
    return (qs.aggregate(s=Sum("paid_fen"))["s"] or 0, qs.count(), qs.values("customer_id").distinct().count())


def test_api_metrics_match_the_orders(lake, shop, api_as):
    response = api_as("viewer").get(f"/api/v1/analytics/metrics?from={FROM}&to={TO}&by=day")
    assert response.status_code == 200, response.content
    data = response.json()
    gmv, orders, buyers = _db_gmv(shop, FROM, TO)
    assert gmv > 0
    assert parse_fen(data["totals"]["gmv"]) == gmv and data["totals"]["orders"] == orders
    assert data["totals"]["buyers"] == buyers  # de-duplicated over the period
    assert sum(parse_fen(r["gmv"]) for r in data["rows"]) == gmv  # GMV is additive over days
    assert sum(r["buyers"] for r in data["rows"]) >= buyers
    assert {"rows", "totals"} <= set(data)


def test_api_channel_rows_and_metric_selection(lake, api_as):
    data = api_as("operator").get(
        f"/api/v1/analytics/metrics?from={FROM}&to={TO}&by=channel&metrics=gmv,buyers").json()
    assert data["rows"] and set(data["totals"]) == {"gmv", "buyers", "deduplicated"}
    assert sum(parse_fen(r["gmv"]) for r in data["rows"]) == parse_fen(data["totals"]["gmv"])
    one = data["rows"][0]["channel"]
    only = api_as("operator").get(f"/api/v1/analytics/metrics?from={FROM}&to={TO}&channel={one}&metrics=gmv").json()
    assert only["totals"]["gmv"] == data["rows"][0]["gmv"]


@pytest.mark.parametrize(("query", "field"), [
    ("from=2026-13-01&to=2026-11-20", "from"),
    ("from=2026-11-20&to=2026-11-01", "to"),
    ("to=2026-11-20", "from"),
    ("from=2026-11-01&to=2026-11-20&by=year", "by"),
    ("from=2026-11-01&to=2026-11-20&metrics=uv,nope", "metrics"),
])
def test_api_bad_input_is_422_naming_the_field(lake, api_as, query, field):
    response = api_as("admin").get(f"/api/v1/analytics/metrics?{query}")
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_api_service_role_is_refused(lake, api_as):
    assert api_as("service").get(f"/api/v1/analytics/metrics?from={FROM}&to={TO}").status_code == 403


def test_api_gmv_explain_parts_add_up(lake, api_as):
    response = api_as("ads").get(f"/api/v1/analytics/gmv-explain?from={FROM}&to={TO}&vs={VS}&by=channel")
    assert response.status_code == 200, response.content
    data = response.json()
    for part in [data["total"], *data["groups"]]:
        assert sum(part["parts_fen"].values()) == part["change_fen"]
    assert sum(g["change_fen"] for g in data["groups"]) == data["total"]["change_fen"]
    bad = api_as("ads").get(f"/api/v1/analytics/gmv-explain?from={FROM}&to={TO}&vs=last-month")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "vs"


def test_api_products(lake, shop, api_as):
    data = api_as("viewer").get(f"/api/v1/analytics/products?from={FROM}&to={TO}").json()
    gmv, _orders, _buyers = _db_gmv(shop, FROM, TO)
    t = data["totals"]
    assert t["skus_on_sale"] > 0 and 0 < t["sell_rate"] <= 1 and t["units"] > 0
    assert 0 < parse_fen(t["gmv"]) <= gmv  # lines exclude shipping
    assert sum(parse_fen(v["gmv"]) for v in data["abc"].values()) == parse_fen(t["gmv"])
    assert data["abc"]["A"]["share"] <= 0.8 + max(s["share"] or 0 for s in data["skus"])
    assert api_as("viewer").get("/api/v1/analytics/products?from=x&to=y").status_code == 422


def test_cli_metrics_json(lake, shop):
    out = io.StringIO()
    call_command("metrics", "--from", FROM, "--to", TO, "--by", "week", "--metrics", "gmv,uv,cvr", "--json",
                 stdout=out)
    data = json.loads(out.getvalue())
    assert {"rows", "totals"} <= set(data)
    assert parse_fen(data["totals"]["gmv"]) == _db_gmv(shop, FROM, TO)[0]
    assert all(set(r) == {"week", "gmv", "uv", "cvr", "deduplicated"} for r in data["rows"])


def test_cli_bad_input_exits_2(lake, shop):
    with pytest.raises(CommandError) as exc:
        call_command("metrics", "--from", "2026-11-20", "--to", "2026-11-01", "--json", stdout=io.StringIO())
    assert exc.value.returncode == 2 and "to" in str(exc.value)


def test_cli_products_and_gmv_explain(lake, shop):
    out = io.StringIO()
    call_command("products", "analyze", "--from", FROM, "--to", TO, "--json", stdout=out)
    products = json.loads(out.getvalue())
    assert set(products["abc"]) == {"A", "B", "C"} and products["skus"]
    out = io.StringIO()
    call_command("gmv", "explain", "--from", FROM, "--to", TO, "--vs", VS, "--by", "source", "--json", stdout=out)
    explain = json.loads(out.getvalue())
    total = explain["total"]
    assert sum(parse_fen(v, allow_negative=True) for v in total["parts"].values()) == parse_fen(
        total["change"], allow_negative=True)
    text = io.StringIO()
    call_command("metrics", "--from", FROM, "--to", TO, "--by", "channel", stdout=text)
    assert "gmv" in text.getvalue()


@pytest.mark.parametrize("url", ["/analytics/traffic/", "/analytics/products/", "/analytics/gmv-explain/"])
def test_pages_show_real_data(lake, client_as, url):
    response = client_as("viewer").get(f"{url}?inline=1&from={FROM}&to={TO}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-chart="' in html and "metrics_charts.js" in html
    assert "¥0.00" not in html.split("<table", 1)[0] or url == "/analytics/gmv-explain/"


def test_traffic_page_by_channel_and_exports(lake, client_as):
    client = client_as("operator")
    html = client.get(f"/analytics/traffic/?inline=1&from={FROM}&to={TO}&by=channel").content.decode()
    assert "2026-11-11" in html
    for table in ("daily", "groups"):
        response = client.get(f"/analytics/traffic/?from={FROM}&to={TO}&export=xlsx&table={table}")
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    for url in ("/analytics/products/?export=xlsx&table=skus", "/analytics/products/?export=xlsx&table=abc",
                "/analytics/gmv-explain/?export=xlsx&table=groups"):
        response = client.get(f"{url}&from={FROM}&to={TO}")
        assert response.status_code == 200 and response.content[:2] == b"PK", url


def test_pages_show_bad_input_without_crashing(lake, client_as):
    response = client_as("admin").get("/analytics/traffic/?inline=1&from=2026-11-20&to=2026-11-01")
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client_as("admin").get("/analytics/gmv-explain/?inline=1&from=bad&to=2026-11-01")
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_empty_shop_and_lake_render(settings, tmp_path, db):
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "empty-lake")
    shop = shop_create(code="empty-an", name="空店")
    channel_accounts_create_defaults(shop=shop)
    user = user_create(username="empty-analyst", password="Empty-pass-2026", role=roles.ADMIN, shops=[shop])
    client = Client()
    client.force_login(user)
    for url in ("/analytics/traffic/", "/analytics/products/", "/analytics/gmv-explain/",
                "/analytics/traffic/?export=xlsx", "/analytics/products/?export=xlsx"):
        assert client.get(url).status_code == 200, url
    data = client.get("/api/v1/analytics/metrics?from=2026-11-01&to=2026-11-20&by=day").json()
    assert data["rows"] == [] and data["totals"]["gmv"] == "0.00" and data["totals"]["cvr"] is None


def test_api_metric_definitions(api_as):
    data = api_as("viewer").get("/api/v1/analytics/metrics/definitions").json()
    by_name = {d["name"]: d for d in data}
    assert by_name["uv"]["zh"] == "访客数" and by_name["uv"]["additive"] is False
    assert by_name["gmv"]["kind"] == "money" and by_name["bounce_rate"]["grain"].startswith("mean of the daily")
    assert api_as("service").get("/api/v1/analytics/metrics/definitions").status_code == 403
