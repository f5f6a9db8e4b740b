"""Bad dates on the analytics faces: the page shows the form and the field's message (status 200, like every
other bad parameter on these pages), the API answers 422 naming the field; neither ever answers 500.

Dates out of the accepted calendar (the year 1, 9999-12-31) used to overflow the pages' date arithmetic
(the GMV page's default comparison period), and a failed product analysis made the ``pct`` filter format "".
One period rule (``selectors.metrics.parse_period``) serves every face.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext as _

from shopops.analytics.domain import FIRST_DAY, LAST_DAY
from shopops.analytics.selectors import behaviour, metrics
from shopops.core.errors import ErrorCollector

OVERFLOW = ["0001-01-01", "9999-12-31"]
PAGES = ["/analytics/traffic/", "/analytics/products/", "/analytics/gmv-explain/", "/analytics/funnel/",
         "/analytics/paths/", "/analytics/retention/"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("query", [{"from": "1"}, {"from": "0001-01-01"}, {"from": "9999-12-31"},
                                   {"to": "9999-12-31"}, {"from": "2026-13-45", "to": "2026-11-01"},
                                   {"from": "2026-11-20", "to": "2026-11-01"},
                                   {"from": "2020-01-01", "to": "2026-11-01"},
                                   {"from": "1", "export": "xlsx"}])
def test_pages_show_a_bad_period_with_the_form(client_as, url, query):
    response = client_as("admin").get(url, {**query, "inline": "1", **({"vs": "2026-10-01..2026-10-31"} if "gmv" in url else {})})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and '<form method="get"' in html


@pytest.mark.parametrize("query", [{"from": "0001-01-01"}, {"from": "9999-12-31"}, {"to": "9999-12-31"},
                                   {"from": "0001-01-01", "to": "0001-01-01"}])
def test_gmv_page_without_a_comparison_survives_dates_out_of_the_calendar(client_as, query):
    """The page's default comparison (the days just before) used to be computed in the view and overflow."""
    response = client_as("admin").get("/analytics/gmv-explain/", {**query, "inline": "1"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


def _label(text: str) -> str:
    with translation.override("zh-hans"):
        return str(_(text))


def _alerts(html: str) -> list[str]:
    """The lines of the page's error panel."""
    panel = html.split('role="alert"><ul>', 1)[1].split("</ul>", 1)[0]
    return [line.removesuffix("</li>") for line in panel.split("<li>")[1:]]


def test_the_messages_are_chinese_and_name_the_field(client_as):
    client = client_as("admin")
    html = client.get("/analytics/gmv-explain/", {"inline": "1", "from": "0001-01-01"}).content.decode()
    # no comparison given and no period to default it from: only the period's error, no noise about ``vs``
    assert _alerts(html) == [f"{_label('Start date')}: 请选择 {FIRST_DAY} 到 {LAST_DAY} 之间的日期。"]
    html = client.get("/analytics/products/", {"from": "1"}).content.decode()
    assert _alerts(html) == [f"{_label('Start date')}: “1”不是日期（YYYY-MM-DD）。"]
    html = client.get("/analytics/traffic/", {"inline": "1", "from": "2026-11-20", "to": "2026-11-01"}).content.decode()
    assert _alerts(html) == [f"{_label('End date')}: 结束日期早于开始日期。"]


def test_the_gmv_page_defaults_the_comparison_to_the_days_before(client_as):
    html = client_as("admin").get("/analytics/gmv-explain/", {"inline": "1", "from": "2026-11-11", "to": "2026-11-20"}).content
    assert b'value="2026-11-01..2026-11-10"' in html and b'role="alert"' not in html


def test_a_default_comparison_before_the_calendar_is_an_error_on_it(client_as):
    response = client_as("admin").get("/analytics/gmv-explain/", {"inline": "1", "from": "1970-01-01", "to": "1970-01-10"})
    assert response.status_code == 200
    assert _alerts(response.content.decode()) == [
        f"{_label('Comparison period')}: 请选择 {FIRST_DAY} 到 {LAST_DAY} 之间的日期。"]


def test_an_export_with_a_bad_period_shows_the_page_not_an_empty_file(client_as):
    for url in ("/analytics/traffic/", "/analytics/products/", "/analytics/gmv-explain/"):
        response = client_as("admin").get(url, {"from": "1", "export": "xlsx"})
        assert response["Content-Type"].startswith("text/html") and 'role="alert"' in response.content.decode()


@pytest.mark.parametrize(("path", "extra"), [
    ("metrics", {}), ("products", {}), ("gmv-explain", {"vs": "2026-10-01..2026-10-31"}),
    ("funnel", {"steps": "pv,buy"}), ("paths", {}), ("retention", {}),
])
@pytest.mark.parametrize("day", OVERFLOW)
def test_api_answers_422_for_dates_out_of_the_calendar(api_as, path, extra, day):
    api = api_as("admin")
    for query in ({"from": day, "to": "2026-11-01"}, {"from": "2026-11-01", "to": day}):
        response = api.get(f"/api/v1/analytics/{path}", {**query, **extra})
        assert response.status_code == 422, (path, query, response.content)
        assert {e["field"] for e in response.json()["errors"]} <= {"from", "to"}


@pytest.mark.parametrize("day", OVERFLOW)
def test_api_gmv_explain_answers_422_for_a_comparison_out_of_the_calendar(api_as, day):
    response = api_as("admin").get("/api/v1/analytics/gmv-explain",
                                   {"from": "2026-11-01", "to": "2026-11-20", "vs": f"{day}..{day}"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "vs"


@pytest.mark.parametrize("day", OVERFLOW)
def test_api_alerts_answers_422_for_a_date_out_of_the_calendar(api_as, day):
    assert api_as("admin").get("/api/v1/analytics/alerts", {"date": day}).status_code == 422


def test_one_period_rule_for_metrics_and_behaviour():
    """The behaviour faces use the metrics' rule, with their own (shorter) limit."""
    for date_from, date_to in (("0001-01-01", "2026-01-01"), ("2026-01-02", "2026-01-01"), ("x", "")):
        a, b = ErrorCollector(), ErrorCollector()
        metrics.parse_period(date_from, date_to, errors=a)
        behaviour.parse_dates(date_from, date_to, b)
        assert [e.as_dict() for e in a.errors] == [e.as_dict() for e in b.errors]
    errors = ErrorCollector()
    behaviour.parse_dates("2024-01-01", "2026-01-01", errors)  # 732 days: more than 400, less than 800
    assert [e.field for e in errors.errors] == ["to"]
    assert metrics.parse_period("2024-01-01", "2026-01-01", errors=ErrorCollector())


def test_previous_period_never_overflows():
    assert metrics.previous_period("2026-11-11", "2026-11-20") == "2026-11-01..2026-11-10"
    assert metrics.previous_period(FIRST_DAY, FIRST_DAY) == "1969-12-31..1969-12-31"
    for bad in ("0001-01-01", "9999-12-31", "1", ""):
        assert metrics.previous_period(bad, "2026-11-20") == ""
        assert metrics.previous_period("2026-11-20", bad) == ""


@pytest.mark.parametrize("value", ["", "abc", None, float("nan"), float("inf")])
def test_display_filters_show_a_dash_for_what_is_not_a_number(value):
    with translation.override("zh-hans"):
        html = Template("{% load shopops %}{{ v|pct }}|{{ v|pct_change }}|{{ v|fen }}|{{ v|yuan }}").render(
            Context({"v": value}))
    assert html == '—|<span class="flat">—</span>|—|—'


def test_display_filters_still_format_numbers():
    html = Template("{% load shopops %}{{ r|pct }} {{ f|fen }} {{ y|yuan }} {{ m|pct_change }}").render(
        Context({"r": 0.125, "f": 12345, "y": "-1234.5", "m": -0.5}))
    assert html == '12.5% ¥123.45 -¥1,234.50 <span class="fall">▼50.0%</span>'
