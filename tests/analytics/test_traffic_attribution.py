"""The traffic page attributes GMV to sources (docs/rules/analytics.md#source-attribution) on a demo-like shop:
Tmall's orders carry no source but its 生意参谋 report gives 支付金额 per source; JD's orders carry a source
(some do not); Xiaohongshu has neither. Every fen lands in a source row or a labelled unattributed row."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

# the pages' modules bind ``shop_tables`` at import: import them before it is replaced for a test, or a module
# first imported during one (e.g. selectors.products) would keep the test's tables for the rest of the session
import shopops.analytics.views.metrics  # noqa: F401
from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.selectors import metrics as metric_selectors
from shopops.analytics.selectors import traffic
from shopops.channels.domain import TRAFFIC_SOURCES_BY_CODE, channel_code_of
from shopops.demo.gen_channels import SOURCES

D1, D2 = dt.date(2026, 11, 1), dt.date(2026, 11, 2)
FROM, TO = "2026-11-01", "2026-11-02"
TMALL_ORDERS = [10000, 20000, 5001]  # 35,001 fen; the report says 34,000 by source → 1,001 differ
JD_ORDERS = [("search", 8000), ("", 1500)]
XHS_ORDERS = [4000]


def _orders() -> dict:
    rows = ([("tmall", "", fen, D1) for fen in TMALL_ORDERS] + [("jd", s, fen, D2) for s, fen in JD_ORDERS]
            + [("xiaohongshu", "", fen, D2) for fen in XHS_ORDERS]
            + [("tmall", "", 99999, dt.date(2026, 10, 31))])  # outside the period
    return {"order_id": list(range(1, len(rows) + 1)), "customer_id": list(range(1, len(rows) + 1)),
            "channel": [r[0] for r in rows], "source": [r[1] for r in rows], "paid_fen": [r[2] for r in rows],
            "goods_fen": [r[2] for r in rows], "refunded_fen": [0] * len(rows), "paid_date": [r[3] for r in rows],
            "status": ["paid"] * len(rows)}


def _traffic() -> dict:
    rows = [  # channel, level, source, visitors, buyers, cart, sales
        ("tmall", "store", "search", 500, 3, 40, 20000), ("tmall", "store", "recommend", 300, 1, 20, 10000),
        ("tmall", "store", "ads", 200, 1, 10, 4000),
        ("tmall", "item", "search", 90, 1, 5, 7777),  # item level: never added to the store's sources
        ("jd", "store", "search", 100, 1, None, None),  # visitors only: JD's GMV comes from its orders
    ]
    return {"channel": [r[0] for r in rows], "level": [r[1] for r in rows], "source": [r[2] for r in rows],
            "visitors": [r[3] for r in rows], "buyers": [r[4] for r in rows], "cart_users": [r[5] for r in rows],
            "sales_fen": [r[6] for r in rows], "date": [D1] * len(rows), "platform": ["sycm"] * len(rows)}


def _events() -> dict:
    users = ["u1", "u2", "u3"]
    return {"user_id": users, "behavior": ["pv"] * 3, "channel": ["own-site"] * 3, "source": ["direct"] * 3,
            "date": [D1] * 3, "ts": [dt.datetime(2026, 11, 1, 2, i, tzinfo=dt.UTC) for i in range(3)]}


@pytest.fixture
def tables(monkeypatch):
    data = MemoryTables(get_engine("duckdb"), {"orders_fact": _orders(), "traffic_daily": _traffic(),
                                               "events": _events()})
    monkeypatch.setattr(metric_selectors, "shop_tables", lambda shop: data)
    return data


def test_gmv_is_attributed_from_the_report_then_the_orders(tables):
    result = traffic.source_attribution(shop=None, date_from=FROM, date_to=TO)
    total = sum(TMALL_ORDERS) + sum(f for _s, f in JD_ORDERS) + sum(XHS_ORDERS)
    by_source = {s["source"]: s for s in result["sources"]}
    assert by_source["search"]["gmv_fen"] == 20000 + 8000  # Tmall's report + JD's orders
    assert by_source["search"]["channels"] == {"tmall": 20000, "jd": 8000}
    assert by_source["search"]["basis"] == "orders+report"
    assert by_source["recommend"]["gmv_fen"] == 10000 and by_source["ads"]["gmv_fen"] == 4000
    assert all(s["gmv_fen"] > 0 for s in result["sources"])
    rest = {u["reason"]: u for u in result["unattributed"]}
    assert rest[traffic.NO_SOURCE]["channels"] == {"xiaohongshu": 4000}
    assert rest[traffic.ORDERS_WITHOUT_SOURCE]["channels"] == {"jd": 1500}
    assert rest[traffic.REPORT_DIFFERS]["channels"] == {"tmall": sum(TMALL_ORDERS) - 34000}
    assert result["total_fen"] == total
    assert result["unattributed_fen"] == total - result["attributed_fen"]  # exactly, in fen
    assert sum(u["gmv_fen"] for u in result["unattributed"]) == result["unattributed_fen"]
    assert sum(s["gmv_fen"] for s in result["sources"]) == result["attributed_fen"] == 42000


def test_the_channel_filter_takes_the_name_or_the_code(tables):
    by_name = traffic.source_attribution(shop=None, date_from=FROM, date_to=TO, channel="天猫")
    by_code = traffic.source_attribution(shop=None, date_from=FROM, date_to=TO, channel="tmall")
    assert by_name == by_code and by_code["total_fen"] == sum(TMALL_ORDERS)
    assert {s["source"] for s in by_code["sources"]} == {"search", "recommend", "ads"}
    assert channel_code_of("Tmall") == channel_code_of(" TMALL ") == "tmall" and channel_code_of("天猫国际") is None


def test_an_order_less_report_channel_is_negative_not_hidden():
    result = traffic.attribute([], [{"channel": "pdd", "source": "search", "gmv_fen": 500}])
    assert result["total_fen"] == 0 and result["attributed_fen"] == 500
    assert result["unattributed"] == [{"reason": traffic.REPORT_DIFFERS, "gmv_fen": -500, "channels": {"pdd": -500},
                                       "share": None}]


def test_every_demo_source_code_has_a_label():
    assert set(SOURCES) <= set(TRAFFIC_SOURCES_BY_CODE)


def _speak(client, language: str):
    client.post("/language/", {"language": language, "next": "/"})
    return client


def _chart(html: str) -> dict:
    return json.loads(html.split('id="traffic-groups-data" type="application/json">')[1].split("</script>")[0])


def test_page_shows_sources_by_name_and_the_unattributed_row(tables, client_as):
    client = _speak(client_as("viewer"), "en")
    html = client.get("/analytics/traffic/", {"inline": "1", "from": FROM, "to": TO, "by": "source"}).content.decode()
    assert "Unattributed (the reports give no source)" in html and "Unattributed (orders without a source)" in html
    assert "Xiaohongshu ¥40.00" in html  # the unattributed row names its channels and amounts
    chart = _chart(html)
    names = chart["data"][0]["x"]
    assert {"Search", "Recommendations", "Paid ads"} <= set(names)
    assert not {"search", "recommend", "ads", "direct", "", "—"} & set(names)
    gmv = dict(zip(names, chart["data"][1]["y"], strict=True))
    assert gmv["Search"] == 280.0 and gmv["Unattributed (the reports give no source)"] == 40.0
    assert gmv["Recommendations"] == 100.0 and gmv["Paid ads"] == 40.0  # Tmall's sources are not ¥0
    assert chart["layout"]["xaxis"]["title"] == "Traffic source"
    zh = _speak(client, "zh-hans").get("/analytics/traffic/", {"inline": "1", "from": FROM, "to": TO}).content.decode()
    assert "搜索" in _chart(zh)["data"][0]["x"] and _chart(zh)["layout"]["xaxis"]["title"] == "流量来源"
    select = zh.split('name="channel"')[1].split("</select>")[0]
    assert ">天猫</option>" in select and ">tmall<" not in select


def test_page_channel_filter_by_name_and_by_code_is_the_same_page(tables, client_as):
    client = client_as("viewer")
    pages = [client.get("/analytics/traffic/", {"inline": "1", "from": FROM, "to": TO, "channel": c}).content.decode()
             for c in ("天猫", "tmall")]
    main = [re.sub(r'value="[A-Za-z0-9]{64}"', "", p.split("<main")[1].split("</main>")[0]) for p in pages]
    assert main[0] == main[1]
    assert '<option value="tmall" selected>天猫</option>' in pages[0]
    assert "小红书" not in pages[0].split('id="traffic-groups-data"')[1]  # only Tmall's GMV
    assert sum(_chart(pages[0])["data"][1]["y"]) == pytest.approx(sum(TMALL_ORDERS) / 100)  # chart floats
    xlsx = client.get("/analytics/traffic/", {"inline": "1", "from": FROM, "to": TO, "channel": "天猫", "export": "xlsx",
                                              "table": "groups"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_page_refuses_a_channel_that_is_not_a_word(tables, client_as):
    response = _speak(client_as("viewer"), "en").get("/analytics/traffic/",
                                                     {"inline": "1", "from": FROM, "to": TO, "channel": "<tmall>"})
    assert response.status_code == 200
    assert "Choose a channel from the list (e.g. 天猫 or tmall)." in response.content.decode()
