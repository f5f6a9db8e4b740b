"""Pages that wait for nothing: the dashboard, traffic, GMV explanation and replenishment pages answer with their
filters and headings at once, and each slow panel is a fragment of its own (loaded by htmx after the page):
the page never computes the panel, the fragment shows the panel's numbers, needs the page's permission and
reads the shop of the request's principal only. ``?inline=1`` (a browser without JavaScript) draws the panel
in the page. After an import that changed data, the worker computes the default panels; a failing warm-up
never fails the import.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import ExitStack
from unittest import mock

import pytest
from django.test import Client
from django.urls import resolve, reverse

from shopops.analytics.selectors.alerts import kpi_cards
from shopops.analytics.selectors.dashboard import dashboard_data
from shopops.analytics.selectors.metrics import gmv_explanation, metrics_report
from shopops.analytics.services.warmup import (
    TRAFFIC_METRICS,
    analytics_warm_up,
    analytics_warm_up_in_background,
)
from shopops.imports.models import ImportJob
from shopops.imports.services import import_job_create
from shopops.imports.tasks import import_job_task
from shopops.inventory.selectors import replenishment_plan
from shopops.ui.templatetags.shopops import fen

FROM, TO = "2026-11-01", "2026-11-20"

# page url name → (its panels' url names, the selectors a panel computes: patched to fail in the shell test)
PANELS = {
    "web:dashboard": (["web:dashboard_kpis", "web:dashboard_month"],
                      ["shopops.analytics.views.dashboard.kpi_cards", "shopops.analytics.views.dashboard.dashboard_data"]),
    "web:analytics_traffic": (["web:analytics_traffic_panel"],
                              ["shopops.analytics.selectors.metrics.metrics_report",
                               "shopops.analytics.selectors.traffic.traffic_by_source"]),
    "web:analytics_gmv_explain": (["web:analytics_gmv_explain_panel"],
                                  ["shopops.analytics.selectors.metrics.gmv_explanation"]),
    "web:inventory_replenishment": (["web:inventory_replenishment_panel"],
                                    ["shopops.inventory.selectors.replenishment_plan"]),
}


@pytest.fixture
def lake(settings, tmp_path, shop):
    from shopops.orders.services import order_facts_refresh

    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")
    order_facts_refresh(shop=shop)
    return tmp_path / "lake"


def _failing(*args, **kwargs):
    raise AssertionError("the page computed its panel")


@pytest.mark.parametrize("page", PANELS)
def test_the_shell_answers_without_computing_its_panels(client_as, shop, page):
    panels, computations = PANELS[page]
    with ExitStack() as stack:
        for target in computations:
            stack.enter_context(mock.patch(target, _failing))
        response = client_as("operator").get(reverse(page), {"from": FROM, "to": TO, "date": "2026-11-20"})
    assert response.status_code == 200
    html = response.content.decode()
    for panel in panels:
        # the fragment URL carries the page's query string, so the filters keep working
        assert re.search(rf'hx-get="{re.escape(reverse(panel))}\?[^"]*from=2026-11-01', html), panel
    assert html.count('class="lazy"') == len(panels)
    assert 'hx-trigger="load"' in html and 'aria-busy="true"' in html and "data-lazy-failed=" in html
    assert "inline=1" in html  # the <noscript> link: the same page with its panels drawn inline
    assert "data-panel=" not in html


@pytest.mark.parametrize("page", PANELS)
def test_inline_draws_the_panels_in_the_page(client_as, shop, lake, page):
    html = client_as("operator").get(reverse(page), {"inline": "1", "from": FROM, "to": TO}).content.decode()
    assert 'class="lazy"' not in html
    assert html.count("data-panel=") == len(PANELS[page][0])


def test_every_panel_needs_its_pages_permission():
    for page, (panels, _computations) in PANELS.items():
        wanted = resolve(reverse(page)).func.shopops_permission
        for panel in panels:
            assert resolve(reverse(panel)).func.shopops_permission == wanted, panel


@pytest.mark.parametrize("page", PANELS)
def test_a_role_that_cannot_see_the_page_cannot_fetch_its_panels(client_as, shop, page):
    panels, _computations = PANELS[page]
    for role in ("admin", "operator", "ads", "service", "viewer"):
        client = client_as(role)
        expected = client.get(reverse(page)).status_code
        for panel in panels:
            with mock.patch("shopops.inventory.selectors.replenishment_plan", return_value=[]):
                got = client.get(reverse(panel)).status_code
            assert got == expected, (role, panel, got, expected)
    for panel in panels:  # anonymous: the login page, not the numbers
        response = Client().get(reverse(panel))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_service_role_gets_403_on_the_analytics_panels(client_as):
    client = client_as("service")
    for name in ("web:analytics_traffic_panel", "web:analytics_gmv_explain_panel"):
        assert client.get(reverse(name)).status_code == 403


def _card(html: str, key: str) -> str:
    match = re.search(rf'data-kpi="{key}">(.*?)</div>\s*</div>', html, re.S)
    assert match, key
    return match.group(1)


def test_dashboard_panels_show_the_metric_layers_numbers(client_as, shop, test_world, lake):
    day = test_world.end_date
    client = client_as("operator")
    kpis = client.get(reverse("web:dashboard_kpis"), {"date": day.isoformat(), "days": "7"}).content.decode()
    expected = {c["key"]: c["value"] for c in kpi_cards(shop=shop, end=day, days=7)["cards"]}
    assert expected["gmv"] > 0 and fen(expected["gmv"]) in _card(kpis, "gmv-period")
    assert 'data-panel="dashboard-kpis"' in kpis and "<html" not in kpis
    month = client.get(reverse("web:dashboard_month"), {"date": day.isoformat()}).content.decode()
    monthly = {c["key"]: c["value"] for c in dashboard_data(shop=shop, day=day)["monthly"]}
    assert fen(monthly["gmv"]) in _card(month, "gmv-30d")
    assert 'id="gmv-chart"' in month and 'id="gmv-data"' in month and 'class="table-wrap"' in month


def test_traffic_and_gmv_explain_panels_show_their_numbers(client_as, shop, lake):
    client = client_as("viewer")
    html = client.get(reverse("web:analytics_traffic_panel"), {"from": FROM, "to": TO, "by": "channel"}).content.decode()
    totals = metrics_report(shop=shop, date_from=FROM, date_to=TO, by="day", channel="",
                            metrics=TRAFFIC_METRICS)["totals"]
    assert totals["gmv"] > 0 and fen(totals["gmv"]) in html
    assert 'data-chart="traffic-daily-data"' in html and 'class="table-wrap"' in html
    vs = "2026-10-13..2026-10-31"
    html = client.get(reverse("web:analytics_gmv_explain_panel"), {"from": FROM, "to": TO, "vs": vs}).content.decode()
    total = gmv_explanation(shop=shop, date_from=FROM, date_to=TO, vs=vs, by="channel")["total"]
    assert fen(total["change"]) in html and fen(total["after"]["gmv"]) in html
    bad = client.get(reverse("web:analytics_gmv_explain_panel"), {"from": "2026-13-01", "to": TO}).content.decode()
    assert 'role="alert"' in bad and 'data-panel="gmv-explain"' in bad  # bad input: the errors, in the panel


def test_replenishment_panel_shows_the_plan(client_as, shop):
    day = dt.date(2026, 11, 20)
    html = client_as("viewer").get(reverse("web:inventory_replenishment_panel"),
                                   {"date": day.isoformat(), "all": "1"}).content.decode()
    rows = replenishment_plan(shop=shop, end=day, lang="zh-hans")
    assert rows and all(f">{row['sku']}</a>" in html for row in rows)
    assert 'data-panel="replenishment"' in html and 'class="table-wrap"' in html


def test_a_panel_shows_the_shop_of_the_principal_only(client_as, shop, second_shop):
    """No query parameter or header picks another shop's numbers: the shop is the request principal's."""
    seen = []

    def recording(*, shop, end, days):
        seen.append(shop.code)
        return {"cards": [], "days": days, "end": end, "start": end, "deduplicated": True}

    client = Client()
    client.force_login(second_shop.users["operator"])
    with mock.patch("shopops.analytics.views.dashboard.kpi_cards", recording):
        assert client.get(reverse("web:dashboard_kpis"), {"shop": shop.code}).status_code == 200
        client.get(reverse("web:dashboard_kpis"), headers={"X-Shop": shop.code})  # not a member of it
    assert seen == [second_shop.shop.code, second_shop.shop.code]


# ---------------------------------------------------------------- the warm-up after an import

def _order_job(shop, tmp_path) -> ImportJob:
    from tests.lake.test_inserted_facts import _write, items_path_for

    orders = _write(shop, tmp_path / "orders.csv", 20, prefix="77", buyers="warm_buyer")
    return import_job_create(shop=shop, format_name="taobao-orders", path=str(orders),
                             items_path=str(items_path_for(orders)))


def test_an_import_is_followed_by_the_warm_up(shop, tmp_path, lake):
    job = _order_job(shop, tmp_path)
    with mock.patch("shopops.imports.tasks.analytics_warm_up", return_value={}) as warm:
        import_job_task(job.pk)  # tests run huey's tasks at once
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.inserted == 20
    warm.assert_called_once_with(shop_id=shop.pk)


def test_a_failing_warm_up_does_not_fail_the_import(shop, tmp_path, lake):
    job = _order_job(shop, tmp_path)
    with mock.patch("shopops.imports.tasks.analytics_warm_up", side_effect=RuntimeError("boom")):
        import_job_task(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.inserted == 20
    (tmp_path / "again").mkdir()
    again = _order_job(shop, tmp_path / "again")
    with mock.patch("shopops.imports.tasks.warm_up_after_import", side_effect=RuntimeError("queue down")):
        assert import_job_task(again.pk) is not None
    again.refresh_from_db()
    assert again.status == ImportJob.Status.DONE


def test_a_dry_run_is_not_followed_by_the_warm_up(shop, tmp_path, lake):
    job = _order_job(shop, tmp_path)
    job.options = {**job.options, "dry_run": True}
    job.save(update_fields=["options"])
    with mock.patch("shopops.imports.tasks.analytics_warm_up", return_value={}) as warm:
        import_job_task(job.pk)
    warm.assert_not_called()


def test_the_warm_up_computes_every_default_panel_and_survives_a_failing_one(shop, lake):
    with mock.patch("shopops.analytics.services.warmup.kpi_cards", side_effect=RuntimeError("boom")):
        done = analytics_warm_up(shop_id=shop.pk)
    assert done["dashboard_kpis"] == "failed"
    assert {name for name, state in done.items() if state == "ok"} == {
        "dashboard_month", "traffic_daily", "traffic_sources", "gmv_explain", "alerts", "replenishment"}
    assert analytics_warm_up(shop_id=0) == {}


def test_the_background_warm_up_runs_the_same_parts_in_a_thread():
    """No database here: the warm-up itself is replaced; the thread closes only its own connection."""
    with mock.patch("shopops.analytics.services.warmup.analytics_warm_up", return_value={}) as warm:
        thread = analytics_warm_up_in_background(shop_id=4242)
        thread.join(timeout=60)
    assert not thread.is_alive() and thread.daemon
    warm.assert_called_once_with(shop_id=4242)
