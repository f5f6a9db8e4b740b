"""Metric alerts: weekday-aligned, promotion-aware baselines, robust z-scores, to-do items, CLI and API.

The rule (median/MAD z-score against a same-weekday baseline, PostHog PR #62037,
docs/rules/analytics.md#anomaly-alerts; alerts must know the promotion calendar,
docs/rules/analytics.md#promotion-aware-baselines) is in ``shopops.analytics.anomaly``; the numbers come from
the metric layer over hand-built tables (MemoryTables), the promotion days from the demo shop's calendar
(``campaigns.selectors.promotion_days``: 双11 2026 main period 10-31 … 11-11, 会员日 on the 16th, …).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from shopops.analytics import anomaly
from shopops.analytics.engine import MemoryTables, get_engine
from shopops.analytics.schemas import alert_json
from shopops.analytics.selectors import alerts as alert_selectors
from shopops.analytics.selectors.alerts import alerts_check
from shopops.analytics.services.alerts import ALERT_SOURCE, analytics_alerts_run
from shopops.campaigns.selectors import promotion_days
from shopops.core.money import format_fen, format_yuan_fen
from shopops.reports.selectors import todos_of_source
from shopops.reports.services import todo_upsert

START = dt.date(2026, 7, 1)
TUESDAY = dt.date(2026, 10, 13)  # an ordinary Tuesday (checked below against the calendar)
DOUBLE11 = dt.date(2026, 11, 11)
CHANNELS = ("tmall", "jd")


def world(*, end: dt.date, promos: dict | None = None, lift: float = 3.0, factors: dict | None = None,
          seed: int = 11) -> MemoryTables:
    """Steady shop: per day and channel 10–14 paid orders (¥50–60, distinct buyers) and 55–65 visitors with
    1–2 page views each. Promotion days get ``lift``× orders and visitors; ``factors`` {day: f} scales only
    that day's orders (a drop in conversion)."""
    rng = random.Random(seed)
    orders: dict[str, list] = {k: [] for k in ("order_id", "channel", "customer_id", "paid_date", "paid_fen",
                                               "refunded_fen", "shipping_fen")}
    events: dict[str, list] = {k: [] for k in ("date", "channel", "user_id", "behavior")}
    order_id = customer = 0
    day = START
    while day <= end:
        boost = lift if promos and promos.get(day) else 1.0
        for channel in CHANNELS:
            n = round(rng.randint(10, 14) * boost * (factors or {}).get(day, 1.0))
            for _i in range(n):
                order_id += 1
                customer += 1
                for k, v in (("order_id", order_id), ("channel", channel), ("customer_id", customer),
                             ("paid_date", day), ("paid_fen", 5000 + rng.randint(0, 1000)), ("refunded_fen", 0),
                             ("shipping_fen", 0)):
                    orders[k].append(v)
            for u in range(round(rng.randint(55, 65) * boost)):
                for _p in range(rng.randint(1, 2)):
                    events["date"].append(day)
                    events["channel"].append(channel)
                    events["user_id"].append(f"{channel}-{day:%m%d}-{u}")
                    events["behavior"].append("pv")
        day += dt.timedelta(days=1)
    return MemoryTables(get_engine(), {"orders_fact": orders, "events": events})


@pytest.fixture
def promos(shop):
    return promotion_days(shop=shop, start=START, end=DOUBLE11)


def _find(result: dict, metric: str, channel: str = "all") -> dict | None:
    return next((a for a in result["alerts"] if a["metric"] == metric and a["channel"] == channel), None)


# ---------------------------------------------------------------- pure rule


def test_weekday_baseline_skips_promotion_days():
    """An ordinary day's baseline: the same weekday of the previous 8 weeks, without promotion days."""
    day = dt.date(2026, 3, 24)
    promos = {dt.date(2026, 3, 3): ["38节"], dt.date(2026, 2, 3): ["年货节"]}
    base = anomaly.baseline_days(day, promos, first_day=dt.date(2026, 1, 1))
    assert base.kind == "weekday"
    assert base.days == (dt.date(2026, 3, 17), dt.date(2026, 3, 10), dt.date(2026, 2, 24), dt.date(2026, 2, 17),
                         dt.date(2026, 2, 10), dt.date(2026, 1, 27), dt.date(2026, 1, 20), dt.date(2026, 1, 13)
                         )[:len(base.days)]
    assert all(d.weekday() == day.weekday() and d not in promos for d in base.days)
    assert min(base.days) >= dt.date(2026, 1, 1)


def _run(first: dt.date, last: dt.date, name: str) -> dict[dt.date, list[str]]:
    return {first + dt.timedelta(days=i): [name] for i in range((last - first).days + 1)}


def test_promotion_days_are_peaks_or_body():
    promos = {**_run(dt.date(2026, 10, 31), dt.date(2026, 11, 11), "双11"), dt.date(2026, 10, 16): ["会员日"]}
    assert anomaly.promotion_role(dt.date(2026, 11, 11), promos) == "peak"  # the last day of the main period
    assert anomaly.promotion_role(dt.date(2026, 10, 31), promos) == "peak"  # its opening
    assert anomaly.promotion_role(dt.date(2026, 11, 5), promos) == "body"
    assert anomaly.promotion_role(dt.date(2026, 10, 16), promos) == "peak"  # a one-day store theme
    assert anomaly.promotion_role(dt.date(2026, 10, 20), promos) == ""


def test_promotion_baseline_prefers_the_same_promotion_and_role_then_similar_then_any():
    this_year = _run(dt.date(2026, 10, 31), dt.date(2026, 11, 11), "双11")
    last_year = _run(dt.date(2025, 10, 15), dt.date(2025, 11, 11), "双11")
    themes = {dt.date(2026, m, 16): ["会员日"] for m in range(1, 11)}
    promos = {**this_year, **last_year, **themes}
    body = anomaly.baseline_days(dt.date(2026, 11, 5), promos)
    assert body.kind == "promotion_same" and body.role == "body" and body.promotion == ("双11",)
    assert body.days[:4] == (dt.date(2026, 11, 4), dt.date(2026, 11, 3), dt.date(2026, 11, 2), dt.date(2026, 11, 1))
    assert dt.date(2026, 10, 31) not in body.days  # the opening is a peak, not a body day
    peak = anomaly.baseline_days(dt.date(2026, 11, 11), promos)
    assert peak.kind == "promotion_same" and peak.role == "peak"
    assert set(peak.days) == {dt.date(2026, 10, 31), dt.date(2025, 11, 11), dt.date(2025, 10, 15)}
    # without last year's 双11 in the data, the peak is compared with other peaks (会员日), not the body days
    similar = anomaly.baseline_days(dt.date(2026, 11, 11), promos, first_day=dt.date(2026, 1, 1))
    assert similar.kind == "promotion_similar"
    assert similar.days == (dt.date(2026, 10, 31), *(dt.date(2026, m, 16) for m in range(10, 3, -1)))
    few = {**_run(dt.date(2026, 11, 9), dt.date(2026, 11, 12), "双11"), dt.date(2026, 10, 16): ["会员日"],
           dt.date(2026, 9, 16): ["会员日"]}
    fallback = anomaly.baseline_days(dt.date(2026, 11, 11), few)  # a body day with one earlier body day
    assert fallback.kind == "promotion_any" and fallback.role == "body"
    assert set(fallback.days) == {dt.date(2026, 11, 10), dt.date(2026, 11, 9), dt.date(2026, 10, 16),
                                  dt.date(2026, 9, 16)}


def test_robust_score_median_mad_and_flat_baseline_floor():
    score = anomaly.robust_score(40, [100, 102, 98, 101, 99])
    assert score.baseline == 100 and score.mad == 1
    assert score.z == pytest.approx((40 - 100) / max(1.4826, 0.05 * 100))
    assert score.change == pytest.approx(-0.6)
    flat = anomaly.robust_score(101, [100, 100, 100, 100])
    assert flat.z == pytest.approx(1 / 5)  # MAD 0: the scale is floored at 5 % of the median
    assert anomaly.robust_score(1, [1, 2]) is None  # fewer than 3 baseline days


def test_judge_direction_severity_and_volume():
    drop = anomaly.robust_score(40_000, [100_000, 102_000, 98_000, 101_000])
    assert anomaly.judge("gmv", drop) == anomaly.Verdict(True, "down", "critical")
    rise = anomaly.robust_score(400_000, [100_000, 102_000, 98_000, 101_000])
    assert anomaly.judge("gmv", rise).severity == "info"  # good news: no fire to put out
    assert anomaly.judge("refund_rate", anomaly.robust_score(0.2, [0.05, 0.05, 0.06]), volume=300).severity in (
        "warning", "critical")
    tiny = anomaly.robust_score(1, [3, 3, 4])
    assert anomaly.judge("orders", tiny).reason == "low_volume"
    assert anomaly.judge("cvr", anomaly.robust_score(0.01, [0.1, 0.1, 0.1]), volume=5).reason == "low_volume"
    small_move = anomaly.robust_score(90, [100, 100, 100, 100])  # z −2: not an anomaly
    assert not anomaly.judge("uv", small_move).alert


# ---------------------------------------------------------------- checks over the metric layer


def test_the_test_days_are_what_the_calendar_says(promos):
    assert TUESDAY.weekday() == 1 and TUESDAY not in promos
    assert "双11" in promos[DOUBLE11]


def test_a_normal_day_is_not_an_alert(shop, promos):
    result = alerts_check(shop=shop, date=TUESDAY, tables=world(end=TUESDAY, promos=promos))
    assert result["status"] == "ok" and result["baseline"]["kind"] == "weekday"
    assert result["checked"] > 20  # 10 metrics × (2 channels + the shop)
    assert [a for a in result["alerts"] if a["severity"] != "info"] == []
    assert all(dt.date.fromisoformat(d) not in promos for d in result["baseline"]["days"])


def test_a_drop_on_an_ordinary_tuesday_is_an_alert(shop, promos):
    tables = world(end=TUESDAY, promos=promos, factors={TUESDAY: 0.3})
    result = alerts_check(shop=shop, date=TUESDAY, tables=tables)
    gmv = _find(result, "gmv")
    assert gmv is not None and gmv["direction"] == "down" and gmv["severity"] == "critical"
    assert gmv["change"] < -0.5 and gmv["z"] < -5 and gmv["promotion"] == []
    assert isinstance(gmv["value"], int) and isinstance(gmv["baseline"], int)  # numbers: money in whole fen
    assert alert_json(gmv)["value"] == format_fen(gmv["value"])  # the JSON edge writes yuan with two decimals
    for metric in ("orders", "buyers", "cvr"):
        assert _find(result, metric)["direction"] == "down"
    assert _find(result, "gmv", "tmall") and _find(result, "gmv", "jd")
    assert _find(result, "uv") is None  # visitors did not move


def test_double11_is_compared_with_promotion_days_not_ordinary_ones(shop, promos, monkeypatch):
    tables = world(end=DOUBLE11, promos=promos)
    result = alerts_check(shop=shop, date=DOUBLE11, tables=tables)
    assert result["baseline"]["kind"].startswith("promotion_") and "双11" in result["promotion"]
    assert result["baseline"]["role"] == "peak"  # 11-11 closes the 双11 main period
    assert len(result["baseline"]["days"]) >= 3
    assert all(dt.date.fromisoformat(d) in promos for d in result["baseline"]["days"])
    assert _find(result, "gmv") is None and _find(result, "uv") is None
    # the same day judged against ordinary Wednesdays is a (good-news) anomaly
    monkeypatch.setattr(alert_selectors, "promotion_days", lambda **kw: {})
    naive = alerts_check(shop=shop, date=DOUBLE11, tables=tables)
    assert naive["baseline"]["kind"] == "weekday"
    gmv = _find(naive, "gmv")
    assert gmv is not None and gmv["direction"] == "up" and gmv["change"] > 1.5


def test_no_data_for_the_day_gives_no_alerts(shop, promos):
    result = alerts_check(shop=shop, date=TUESDAY, tables=world(end=TUESDAY - dt.timedelta(days=1), promos=promos))
    assert result["status"] == "no_data" and result["alerts"] == []
    empty = alerts_check(shop=shop, date=TUESDAY, tables=MemoryTables(get_engine(), {}))
    assert empty["status"] == "no_data" and empty["checked"] == 0


# ---------------------------------------------------------------- the to-do list


def _open(shop) -> dict[str, object]:
    return {t.key: t for t in todos_of_source(shop=shop, source=ALERT_SOURCE, status="open")}


def test_alerts_become_todos_updated_in_place_and_closed_when_cleared(shop, promos):
    other = todo_upsert(shop=shop, source=ALERT_SOURCE, key="2026-10-06:gmv:all", title="older", severity="warning")
    dropped = world(end=TUESDAY, promos=promos, factors={TUESDAY: 0.3})
    first = analytics_alerts_run(shop=shop, date=TUESDAY, tables=dropped, language="zh-hans")
    items = _open(shop)
    key = "2026-10-13:gmv:all"
    assert key in items and first["todos"]["raised"] == len(first["alerts"]) > 0
    item = items[key]
    assert item.role == "operator" and item.severity == "critical" and item.due_date == TUESDAY
    assert "date=2026-10-13" in item.url
    gmv = _find(first, "gmv")
    shown = (format_yuan_fen(gmv["value"]), format_yuan_fen(gmv["baseline"]))  # ¥1,234.56: the one money format
    assert all(text in item.detail for text in shown)  # the numbers behind it
    with translation.override("zh-hans"):
        assert "支付金额" in item.title and gettext("whole shop") in item.title  # 全店 once the catalog is merged
    assert item.data["value"] == format_fen(gmv["value"]) and item.data["baseline_days"] == gmv["baseline_days"]

    again = analytics_alerts_run(shop=shop, date=TUESDAY, tables=dropped, language="zh-hans")  # idempotent
    assert again["alerts"] == first["alerts"] and again["todos"]["closed"] == 0
    assert set(_open(shop)) == set(items)
    assert todos_of_source(shop=shop, source=ALERT_SOURCE).count() == len(items)

    worse = analytics_alerts_run(shop=shop, date=TUESDAY, language="en",
                                 tables=world(end=TUESDAY, promos=promos, factors={TUESDAY: 0.1}))
    updated = _open(shop)[key]
    assert _find(worse, "gmv")["value"] != gmv["value"]
    assert updated.pk == item.pk and updated.data["value"] == format_fen(_find(worse, "gmv")["value"])
    assert "GMV" in updated.title and "whole shop" in updated.title

    cleared = analytics_alerts_run(shop=shop, date=TUESDAY, tables=world(end=TUESDAY, promos=promos))
    assert cleared["todos"]["closed"] >= len(first["alerts"]) - 1
    still_open = _open(shop)
    assert not any(k.startswith("2026-10-13:") and k.endswith((":gmv:all", ":orders:all")) for k in still_open)
    assert other.key in still_open  # another date's item is not this run's business


# ---------------------------------------------------------------- faces


@pytest.fixture
def lake_world(monkeypatch, promos):
    tables = world(end=TUESDAY, promos=promos, factors={TUESDAY: 0.3})
    monkeypatch.setattr(alert_selectors, "shop_tables", lambda shop: tables)
    return tables


def test_api_get_computes_without_writing(api_as, shop, lake_world):
    response = api_as("viewer").get("/api/v1/analytics/alerts", {"date": TUESDAY.isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["date"] == "2026-10-13" and any(a["metric"] == "gmv" for a in body["alerts"])
    gmv = next(a for a in body["alerts"] if a["metric"] == "gmv")
    assert isinstance(gmv["value"], str) and "." in gmv["value"]  # the JSON keeps money as text in yuan
    assert todos_of_source(shop=shop, source=ALERT_SOURCE).count() == 0
    assert api_as("service").get("/api/v1/analytics/alerts", {"date": "2026-10-13"}).status_code == 403
    assert api_as("viewer").get("/api/v1/analytics/alerts", {"date": "2026-13-45"}).status_code == 422


def test_api_run_needs_run_alerts_and_writes_todos(api_as, shop, lake_world):
    for role in ("ads", "viewer", "service"):
        denied = api_as(role).post("/api/v1/analytics/alerts/run", {"date": "2026-10-13"},
                                   content_type="application/json")
        assert denied.status_code == 403
    assert todos_of_source(shop=shop, source=ALERT_SOURCE).count() == 0
    response = api_as("operator").post("/api/v1/analytics/alerts/run", {"date": "2026-10-13"},
                                       content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["todos"]["raised"] == len(response.json()["alerts"]) > 0
    assert "2026-10-13:gmv:all" in _open(shop)
    bad = api_as("admin").post("/api/v1/analytics/alerts/run", {}, content_type="application/json")
    assert bad.status_code == 422


def test_cli_alerts_run_json_and_dry_run(shop, lake_world):
    out = io.StringIO()
    call_command("alerts", "run", "--date", "2026-10-13", "--dry-run", "--json", stdout=out)
    dry = json.loads(out.getvalue())
    assert dry["date"] == "2026-10-13" and dry["checked"] > 0 and "todos" not in dry
    assert todos_of_source(shop=shop, source=ALERT_SOURCE).count() == 0
    out = io.StringIO()
    call_command("alerts", "run", "--date", "2026-10-13", "--json", stdout=out)
    ran = json.loads(out.getvalue())
    assert {"metric", "channel", "value", "baseline", "change", "z", "direction", "severity",
            "promotion"} <= set(ran["alerts"][0])
    assert ran["todos"]["raised"] == len(_open(shop))
    gmv = next(a for a in ran["alerts"] if a["metric"] == "gmv")
    assert isinstance(gmv["value"], str) and "." in gmv["value"]


def test_cli_bad_date_is_exit_2(shop):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as info:
        call_command("alerts", "run", "--date", "13/10/2026")
    assert info.value.returncode == 2


def test_periodic_task_runs_each_shop_for_its_yesterday(shop, lake_world, monkeypatch):
    from shopops.analytics.services import alerts as alert_services

    seen = []
    monkeypatch.setattr(alert_services, "analytics_alerts_run",
                        lambda *, shop, date: seen.append((shop.code, date)) or {"alerts": [], "status": "ok"})
    out = alert_services.analytics_alerts_run_all(date=TUESDAY)
    assert seen == [("demo", TUESDAY)] and out == {"demo": {"alerts": 0, "status": "ok"}}
    seen.clear()
    assert alert_services.analytics_alerts_run_all(local_hour=25) == {} and seen == []
