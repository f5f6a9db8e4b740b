"""Funnel, paths and retention say which channels they cover, computed from the data they read
(docs/rules/analytics.md#behaviour-coverage), and paths are pages when the log names them."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pytest

from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.selectors import behaviour
from shopops.analytics.selectors.coverage import behaviour_coverage
from tests.analytics.behaviour_data import at, events

pytestmark = pytest.mark.django_db
DAY = {"from": "2026-11-01", "to": "2026-11-01"}
D = dt.date(2026, 11, 1)
OWN_SITE = [("a", at(1), "pv", "own-site"), ("b", at(2), "pv", "own-site"), ("c", at(3), "pv", "own-site"),
            ("c", at(4), "buy", "own-site")]
PAGES = ["behaviour/funnel", "behaviour/paths", "behaviour/retention"]
URLS = {"behaviour/funnel": "/analytics/funnel/", "behaviour/paths": "/analytics/paths/",
        "behaviour/retention": "/analytics/retention/"}


def _report(*rows: tuple) -> dict:
    """traffic_daily store rows: (channel, source, visitors, cart_users, buyers)."""
    return {"channel": [r[0] for r in rows], "source": [r[1] for r in rows], "visitors": [r[2] for r in rows],
            "cart_users": [r[3] for r in rows], "buyers": [r[4] for r in rows], "level": ["store"] * len(rows),
            "date": [D] * len(rows)}


def _use(monkeypatch, log: list[tuple], report: dict | None = None, pages: list[str] | None = None) -> MemoryTables:
    data = events(log)
    if report:
        data["traffic_daily"] = report
    tables = MemoryTables(get_engine("duckdb"), data)
    if pages is not None:  # a log with a page column (the lake's events table has none yet)
        tables._data["events"] = tables._data["events"].append_column("page_type", pa.array(pages, pa.string()))
    monkeypatch.setattr(behaviour, "tables_for", lambda shop: tables)
    return tables


def _english(client_as):
    client = client_as("viewer")
    client.post("/language/", {"language": "en", "next": "/"})
    return client


def test_only_the_own_site_log_covers_the_whole_shop_when_nothing_else_has_traffic(monkeypatch):
    tables = _use(monkeypatch, OWN_SITE)
    cover = behaviour_coverage(tables=tables, date_from=D, date_to=D)
    assert cover["channels"] == ["own-site"] and cover["missing"] == [] and cover["whole_shop"]
    assert cover["share"] == 1.0


def test_a_channel_with_only_a_platform_report_is_not_covered(monkeypatch):
    tables = _use(monkeypatch, OWN_SITE, _report(("tmall", "search", 60, 6, 2), ("tmall", "ads", 37, 3, 1),
                                                 ("jd", "search", 50, None, None)))
    cover = behaviour_coverage(tables=tables, date_from=D, date_to=D)
    assert cover["channels"] == ["own-site"] and cover["missing"] == ["jd", "tmall"] and not cover["whole_shop"]
    assert cover["share"] == round(3 / (3 + 97 + 50), 6)  # the log's 3 visitors of 150
    assert cover["platform_funnels"] == [{"channel": "tmall", "visitors": 97, "cart_users": 9, "buyers": 3,
                                          "cart_rate": round(9 / 97, 6), "buyer_rate": round(3 / 97, 6)}]
    assert cover["without_funnel"] == ["jd"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_state_their_coverage(monkeypatch, client_as, page):
    _use(monkeypatch, OWN_SITE, _report(("tmall", "search", 97, 9, 3)))
    html = _english(client_as).get(URLS[page], DAY).content.decode()
    text = html.split('id="coverage">')[1].split("</p>")[0]
    assert "Covers: Own site (behaviour log), 3.0% of the shop's visitors." in text
    assert "Not covered (no behaviour log): Tmall." in text
    assert "whole shop" not in text.lower()


def test_two_log_channels_are_both_named(monkeypatch, client_as):
    _use(monkeypatch, [*OWN_SITE, ("d", at(5), "pv", "wecom")])
    html = _english(client_as).get("/analytics/retention/", DAY).content.decode()
    text = html.split('id="coverage">')[1].split("</p>")[0]
    assert "Covers the whole shop" in text and "Own site" in text and "WeCom private domain" in text


def test_the_funnel_page_shows_the_platform_funnel_of_the_other_channels(monkeypatch, client_as):
    _use(monkeypatch, OWN_SITE, _report(("tmall", "search", 97, 9, 3), ("jd", "search", 50, None, None)))
    html = _english(client_as).get("/analytics/funnel/", {**DAY, "step": ["pv", "buy"]}).content.decode()
    section = html.split('id="platform-funnels"')[1].split("</section>")[0]
    assert "<td>Tmall</td><td class=\"num\">97</td><td class=\"num\">9</td><td class=\"num\">3</td>" in section
    assert "No funnel for JD: their traffic reports give no add-to-cart or paying-buyer counts." in section
    chart = json.loads(html.split('id="funnel-data" type="application/json">')[1].split("</script>")[0])
    assert chart["series"][0]["x"] == ["1. View", "2. Buy"] and chart["labels"]["step"] == "Step"


def test_paths_are_pages_when_the_log_has_page_types(monkeypatch, client_as):
    log = [("u1", at(1), "pv", "own-site", "s1"), ("u1", at(1, 1), "pv", "own-site", "s1"),
           ("u1", at(1, 2), "pv", "own-site", "s1"), ("u1", at(1, 3), "cart", "own-site", "s1"),
           ("u1", at(1, 4), "pv", "own-site", "s1"),
           ("u2", at(2), "pv", "own-site", "s2"), ("u2", at(2, 1), "pv", "own-site", "s2"),
           ("u2", at(2, 2), "pv", "own-site", "s2")]
    pages = ["home", "detail", "detail", "", "checkout", "home", "search", "detail"]
    tables = _use(monkeypatch, log, pages=pages)
    report = behaviour.paths_report(shop=None, date_from=D, date_to=D, tables=tables)
    assert report["step_kind"] == "page"
    assert [p["steps"] for p in report["paths"]] == [["home", "detail", "checkout"], ["home", "search", "detail"]]
    html = _english(client_as).get("/analytics/paths/", DAY).content.decode()
    assert "Home page → Product detail → Checkout" in html
    assert "Steps are the pages of the behaviour log" in html
    chart = json.loads(html.split('id="paths-data" type="application/json">')[1].split("</script>")[0])
    assert "1. Home page" in chart["labels"] and not {"1. home", "2. detail"} & set(chart["labels"])


def test_paths_fall_back_to_event_types_labelled_as_such(monkeypatch, client_as):
    _use(monkeypatch, OWN_SITE)
    html = _english(client_as).get("/analytics/paths/", DAY).content.decode()
    assert "Steps are event types (view, add to cart, buy…): the behaviour log has no page information." in html
    _use(monkeypatch, OWN_SITE, pages=[""] * len(OWN_SITE))  # a page column that names no page
    assert behaviour.paths_report(shop=None, date_from=D, date_to=D)["step_kind"] == "event"
