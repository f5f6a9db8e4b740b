"""The Content-Security-Policy in a real browser: charts draw, htmx works, nothing is refused."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import PASSWORD
from tests.e2e.test_browser import PANEL_WAIT_MS, wait_for_panels

pytestmark = pytest.mark.e2e

ANALYTICS = ["/analytics/traffic/", "/analytics/funnel/", "/analytics/paths/", "/analytics/retention/",
             "/analytics/products/", "/analytics/gmv-explain/"]


def _watch(page) -> list[str]:
    """Collect CSP refusals: Chromium logs each one to the console and fires `securitypolicyviolation`."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda exc: violations.append(f"page error: {exc}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return violations


def _login(page, base: str) -> None:
    page.goto(base + "/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def _first_link(page, base: str, list_url: str, pattern: str) -> str | None:
    page.goto(base + list_url)
    hrefs = page.eval_on_selector_all("main a", "els => els.map(e => e.getAttribute('href'))")
    return next((h for h in hrefs if h and re.fullmatch(pattern, h)), None)


def test_pages_with_charts_raise_no_csp_violation(page, server):
    violations = _watch(page)
    _login(page, server)
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    page.wait_for_selector("#gmv-chart[data-rendered='1']", timeout=PANEL_WAIT_MS)  # its panel loads after the page
    page.hover("#gmv-chart .main-svg")  # the hover label is drawn with styles too
    charts = page.locator(".main-svg").count()
    urls = [*ANALYTICS, "/orders/", "/products/", "/customers/", "/stock/", "/todos/", "/campaigns/",
            "/campaigns/calendar/", "/imports/", "/users/", "/audit/", "/profile/", "/api/v1/docs"]
    sku = _first_link(page, server, "/stock/", r"/stock/sku/[^/]+/")
    campaign = _first_link(page, server, "/campaigns/", r"/campaigns/\d+/")
    assert sku and campaign
    urls += [sku, campaign + "review/"]
    for url in urls:
        response = page.goto(server + url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        wait_for_panels(page)
        charts += page.locator(".main-svg").count()
    assert charts >= 5  # Plotly really drew under the policy
    assert violations == []


def test_htmx_search_and_select_submit_work_under_the_policy(page, server):
    violations = _watch(page)
    _login(page, server)
    page.goto(server + "/orders/")
    first = page.locator("table.data tbody tr td a").first.inner_text()
    page.fill("input[name=q]", first)
    page.wait_for_function("() => document.querySelectorAll('table.data tbody tr').length === 1")
    page.goto(server + "/todos/")
    page.select_option("select[name=status]", index=1)
    page.wait_for_url("**/todos/?*status=*")
    assert violations == []
