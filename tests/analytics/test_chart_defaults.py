"""The analytics pages as a Chinese operator reads them: charts drawn through the one shared chart file (page
language, numbers without "k", whole-number count axes), grouped bars that do not hide each other, default
periods that end yesterday, the funnel window in minutes/hours/days and retention columns named 第N天."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from shopops.analytics.selectors.metrics import default_period, last_full_day
from shopops.analytics.views.behaviour import period_header
from shopops.core import clock
from tests.analytics.behaviour_data import FUNNEL_ROWS, PATH_ROWS, RETENTION_ROWS
from tests.analytics.faces import lake  # noqa: F401
from tests.analytics.test_metrics_faces import lake as order_lake  # noqa: F401

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "shopops"
ANALYTICS = SRC / "analytics"
CHARTS_JS = SRC / "ui" / "static" / "ui" / "charts.js"


def _now(monkeypatch, day: dt.date) -> None:
    """The wall clock at noon UTC of ``day`` (the test shop runs in UTC)."""
    monkeypatch.setattr(clock, "now", lambda: dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))


def _json(html: str, block: str) -> dict:
    return json.loads(html.split(f'id="{block}" type="application/json">')[1].split("</script>")[0])


def _english(client):
    """The user's interface language set to English (the profile decides, not the browser)."""
    client.post(reverse("web:switch_language"), {"language": "en"})
    return client


def _input(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no input {name}"
    return match.group(1)


# --- 1. one shared chart file -----------------------------------------------------------------------------------

def test_every_chart_page_loads_the_shared_chart_file_after_plotly():
    templates = [t for t in SRC.glob("*/templates/**/*.html") if "vendor/plotly.min.js" in t.read_text()]
    assert len(templates) >= 9
    for template in templates:
        text = template.read_text()
        plotly, shared = text.index("vendor/plotly.min.js"), text.find("ui/charts.js")
        assert shared > plotly, f"{template.name}: load ui/charts.js right after plotly.min.js"


def test_every_script_draws_only_through_the_shared_file():
    for script in [s for s in SRC.glob("*/static/**/*.js") if "vendor" not in s.parts and s != CHARTS_JS]:
        text = script.read_text()
        if "Plotly" in text or "ShopOpsCharts" in text:
            assert "Plotly.newPlot" not in text, f"{script.name}: draw with ShopOpsCharts.draw"
            assert "ShopOpsCharts.draw(" in text, script.name


def test_the_shared_file_speaks_the_page_language_and_plain_numbers():
    text = CHARTS_JS.read_text()
    assert 'name: "zh-CN"' in text and 'dayMonth: "%-m月%-d日"' in text  # axes read 9月20日, not "Sep 20"
    assert 'dayMonthYear: "%Y年%-m月%-d日"' in text and '"9月"' in text
    assert 'getAttribute("lang")' in text and "locale: locale" in text  # chosen by <html lang>
    assert 'exponentformat = "none"' in text and "separatethousands = true" in text  # 12,400, never 12.4k
    assert 'tickformat === ",d"' in text and "dtick = 1" in text  # counts: whole-number ticks
    assert 'ax.overlaying && ax.tickmode === undefined) ax.tickmode = "auto"' in text  # no 67.9 on a right axis


def test_the_dashboard_order_axis_counts_whole_orders():
    text = (ANALYTICS / "static" / "analytics" / "dashboard.js").read_text()
    assert re.search(r'yaxis2: \{[^}]*tickformat: ",d"', text)


# --- 2. grouped bars side by side ---------------------------------------------------------------------------------

def _side_by_side(chart: dict) -> None:
    """Two measures on two axes: each trace in its own offset group, so neither is drawn over the other."""
    traces = chart["data"]
    assert chart["layout"]["barmode"] == "group" and len(traces) == 2
    assert {t.get("yaxis", "y") for t in traces} == {"y", "y2"}
    groups = [t.get("offsetgroup") for t in traces]
    assert None not in groups and len(set(groups)) == 2
    assert any(v for v in traces[0]["y"] + traces[1]["y"])


def test_traffic_sources_bars_stand_side_by_side(order_lake, client_as):  # noqa: F811
    html = client_as("viewer").get("/analytics/traffic/", {"inline": "1", "from": "2026-11-01", "to": "2026-11-20"}).content.decode()
    groups = _json(html, "traffic-groups-data")
    _side_by_side(groups)
    assert groups["layout"]["yaxis"]["tickformat"] == ",d"  # visitors: whole numbers
    daily = _json(html, "traffic-daily-data")
    assert daily["layout"]["xaxis"]["type"] == "date" and daily["layout"]["yaxis"]["tickformat"] == ",d"


def test_traffic_by_channel_bars_stand_side_by_side(order_lake, client_as):  # noqa: F811
    html = client_as("viewer").get("/analytics/traffic/", {"inline": "1", "from": "2026-11-01", "to": "2026-11-20",
                                                            "by": "channel"}).content.decode()
    _side_by_side(_json(html, "traffic-groups-data"))


def test_products_abc_bars_stand_side_by_side(order_lake, client_as):  # noqa: F811
    html = client_as("viewer").get("/analytics/products/", {"from": "2026-11-01", "to": "2026-11-20"}).content.decode()
    abc = _json(html, "products-abc-data")
    _side_by_side(abc)
    assert abc["layout"]["yaxis2"]["tickformat"] == ",d"  # SKUs: whole numbers


# --- 3. default periods end yesterday -----------------------------------------------------------------------------

def test_default_period_ends_on_the_last_finished_day(monkeypatch):
    _now(monkeypatch, dt.date(2026, 12, 7))
    assert last_full_day("UTC") == dt.date(2026, 12, 6)
    assert default_period("UTC", days=30) == (dt.date(2026, 11, 7), dt.date(2026, 12, 6))
    # a log running until today stops at yesterday; one that stopped earlier ends with its last day
    assert default_period("UTC", days=7, span=(dt.date(2026, 12, 1), dt.date(2026, 12, 7))) == (
        dt.date(2026, 12, 1), dt.date(2026, 12, 6))
    assert default_period("UTC", days=7, span=(dt.date(2026, 11, 1), dt.date(2026, 11, 20))) == (
        dt.date(2026, 11, 14), dt.date(2026, 11, 20))
    # only today's events: still a period of finished days (empty), never one ending before it starts
    start, end = default_period("UTC", days=7, span=(dt.date(2026, 12, 7), dt.date(2026, 12, 7)))
    assert end == dt.date(2026, 12, 6) and start <= end


@pytest.mark.parametrize("url", ["/analytics/traffic/", "/analytics/products/", "/analytics/gmv-explain/"])
def test_metric_pages_default_to_the_30_days_up_to_yesterday(order_lake, client_as, monkeypatch, url):  # noqa: F811
    _now(monkeypatch, dt.date(2026, 12, 7))
    html = client_as("viewer").get(url).content.decode()
    assert (_input(html, "from"), _input(html, "to")) == ("2026-11-07", "2026-12-06")


@pytest.mark.parametrize("url", ["/analytics/funnel/", "/analytics/retention/", "/analytics/paths/"])
def test_behaviour_pages_leave_out_today(lake, client_as, monkeypatch, url):  # noqa: F811
    _now(monkeypatch, dt.date(2026, 11, 2))  # the log runs into "today", 11-02
    lake(FUNNEL_ROWS)
    html = client_as("viewer").get(url).content.decode()
    assert (_input(html, "from"), _input(html, "to")) == ("2026-11-01", "2026-11-01")


# --- 4. the funnel window in minutes, hours, days ----------------------------------------------------------------

def test_funnel_window_is_a_number_and_a_unit(lake, client_as):  # noqa: F811
    lake(FUNNEL_ROWS)
    client = _english(client_as("admin"))
    html = client.get("/analytics/funnel/").content.decode()
    assert _input(html, "window_n") == "1" and '<option value="d" selected>days</option>' in html
    assert "30m" not in html and "e.g. 30 minutes, 2 hours, 1 day" in html
    html = client.get("/analytics/funnel/", {"step": ["pv", "cart", "buy"], "window_n": "2", "window_unit": "h",
                                             "from": "2026-11-01", "to": "2026-11-02"}).content.decode()
    assert 'id="funnel-data"' in html and '<option value="h" selected>hours</option>' in html
    assert '<input type="hidden" name="window" value="2h">' in html  # saved as the API's code
    # a saved funnel's link still carries the code
    html = client.get("/analytics/funnel/", {"step": ["pv", "buy"], "window": "30m"}).content.decode()
    assert _input(html, "window_n") == "30" and '<option value="m" selected>minutes</option>' in html


def test_a_bad_funnel_window_is_told_in_units_not_codes(lake, client_as):  # noqa: F811
    lake(FUNNEL_ROWS)
    html = _english(client_as("viewer")).get("/analytics/funnel/", {"step": ["pv", "cart"], "window_n": "0",
                                                          "window_unit": "d"}).content.decode()
    assert "whole number of minutes, hours or days" in html and "unit s, m, h or d" not in html
    assert 'id="funnel-data"' not in html


# --- 5. retention: 第N天, unfinished cells empty, small cohorts noted --------------------------------------------

def test_retention_columns_are_named_by_day_or_week():
    from django.utils import translation

    with translation.override("en"):
        assert period_header("day", 3) == "Day 3" and period_header("week", 0) == "Week 0"


def test_retention_leaves_unfinished_cells_empty_and_notes_small_cohorts(lake, client_as, monkeypatch):  # noqa: F811
    _now(monkeypatch, dt.date(2026, 11, 10))  # 11-10 is today: its cells are not finished
    lake(RETENTION_ROWS)
    client = _english(client_as("viewer"))
    html = client.get("/analytics/retention/", {"from": "2026-11-02", "to": "2026-11-10"}).content.decode()
    chart = _json(html, "retention-data")
    assert chart["x"][:3] == ["Day 0", "Day 1", "Day 2"] and len(chart["x"]) == 9
    assert '<th class="num">Day 8</th>' in html and '<th class="num">8</th>' not in html
    first = chart["z"][0]  # the cohort of 11-02: day 8 is 11-10, today
    assert first[8] is None and first[7] is not None
    assert chart["z"][chart["y"].index("2026-11-09")] == [1.0, None] + [None] * 7  # its day 1 is today
    assert html.count('class="num unfinished"') == len(chart["y"])  # one running cell per cohort
    assert 'id="small-cohorts"' in html and "fewer than 30 people" in html


def test_retention_weeks_still_running_are_empty(lake, client_as, monkeypatch):  # noqa: F811
    _now(monkeypatch, dt.date(2026, 11, 12))  # Thursday: the week of 11-09 is not over
    lake(RETENTION_ROWS)
    html = _english(client_as("viewer")).get("/analytics/retention/", {"from": "2026-11-02", "to": "2026-11-12",
                                                             "period": "week"}).content.decode()
    chart = _json(html, "retention-data")
    assert chart["x"] == ["Week 0", "Week 1"]
    assert chart["z"] == [[1.0, None], [None, None]]


# --- paths: where sessions end, each step in its own column -------------------------------------------------------

def test_paths_sankey_shows_where_sessions_end_and_keeps_steps_in_their_columns(lake, client_as):  # noqa: F811
    lake(PATH_ROWS)
    client = _english(client_as("viewer"))
    html = client.get("/analytics/paths/", {"from": "2026-11-01", "to": "2026-11-01"}).content.decode()
    chart = _json(html, "paths-data")
    labels, x = chart["labels"], chart["x"]
    ends = [i for i, label in enumerate(labels) if label == "Sessions end"]
    assert ends and all(chart["colors"][i] == "#d9d9d9" for i in ends)
    # the sessions that stop: u1's pv → cart and buy → pv (step 2), u2's two pv → cart → buy (step 3);
    # u3's five steps were cut off, not ended
    stopped = {(labels[s], v) for s, t, v in zip(chart["source"], chart["target"], chart["value"], strict=True)
               if t in ends}
    assert stopped == {("2. Add to cart", 1), ("2. View", 1), ("3. Buy", 2)}
    # one column per step: every "n. …" node sits at the same x, in step order
    column = {}
    for label, where in zip(labels, x, strict=True):
        if label != "Sessions end":
            column.setdefault(int(label.split(".")[0]), set()).add(where)
    assert all(len(places) == 1 for places in column.values())
    assert [next(iter(column[n])) for n in sorted(column)] == sorted(next(iter(p)) for p in column.values())
    assert all(0 < v < 1 for v in chart["x"] + chart["y"])
