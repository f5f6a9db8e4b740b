"""Post-mortem numbers equal direct order sums; the lottery is reproducible and capped at ¥50,000; the demo
campaigns; the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum

from shopops.campaigns import domain, services
from shopops.campaigns.analysis import campaign_review, lottery_eligible
from shopops.campaigns.models import Campaign
from shopops.core.errors import Conflict, InvalidInput
from shopops.core.money import parse_fen
from shopops.demo.seed_campaigns import campaigns_demo_seed
from shopops.orders.models import Order, OrderLine
from shopops.reports.models import TodoItem

END = dt.date(2026, 11, 20)  # the conftest demo world ends here


@pytest.fixture
def d11(shop):
    return services.campaign_save(shop=shop, data={
        "name": "双11 复盘", "warmup_start": "2026-10-20", "main_start": "2026-10-31", "main_end": "2026-11-11",
        "return_end": "2026-11-12", "channels": ["tmall"], "goals": {"gmv": "50000.00", "new_buyers": 100},
        "promotions": [{"id": "cross", "name": "双11 跨店每满300减50", "type": "every_off", "level": "platform",
                        "every": "300.00", "off": "50.00"},
                       {"id": "never", "name": "从未使用", "type": "coupon", "threshold": "999.00", "off": "1.00"}]})


def _sums(shop, start, end):
    orders = Order.objects.filter(shop=shop, paid_date__range=(start, end))
    totals = orders.aggregate(gmv=Sum("paid_fen"), n=Count("id"), buyers=Count("customer_id", distinct=True),
                              discount=Sum("discount_fen"))
    lines = OrderLine.objects.filter(order__in=orders).aggregate(discount=Sum("discount_fen"))
    return totals, lines


def test_review_numbers_are_the_order_sums(shop, d11):
    report = campaign_review(campaign=d11)
    totals, lines = _sums(shop, d11.warmup_start, d11.return_end)
    k = report["kpis"]
    assert parse_fen(k["gmv"]) == totals["gmv"] > 0  # 支付金额: paid incl. shipping, refunds not deducted
    assert (k["orders"], k["buyers"]) == (totals["n"], totals["buyers"])
    assert parse_fen(k["promotion_cost"]) == lines["discount"] == totals["discount"]  # sum of allocated discounts
    assert k["new_buyers"] + k["returning_buyers"] == k["buyers"]
    assert sum(parse_fen(d["gmv"]) for d in report["daily"]) == totals["gmv"]
    assert sum(parse_fen(c["gmv"]) for c in report["channels"]) == totals["gmv"]
    base_start, base_end = (dt.date.fromisoformat(x) for x in report["baseline_period"])
    base, _lines = _sums(shop, base_start, base_end)
    assert parse_fen(report["baseline"]["gmv"]) == base["gmv"]
    assert parse_fen(report["incremental_gmv"]["gross"]) == totals["gmv"] - base["gmv"]
    assert report["goals"]["gmv"]["attainment"] == pytest.approx(totals["gmv"] / 5_000_000)
    assert not report["ads"]["available"] and report["ads"]["note"] and report["ads"]["spend"] is None
    assert not report["traffic"]["available"] and report["traffic"]["uv"] is None
    assert report["mechanics"][0]["label"] == "双11 单品直降"  # what the demo's orders carry
    cross = next(m for m in report["mechanics"] if m["label"] == "双11 跨店每满300减50")
    assert cross["promotion"] == "cross"
    assert {"code": "unused_promotions", "promotions": ["never"]} in report["lessons"]


def test_baseline_is_weekday_aligned_and_before_the_warm_up():
    """docs/rules/campaigns.md#weekday-aligned-baseline: a weekday-aligned baseline of the same length before
    the campaign."""
    phases = domain.Phases(dt.date(2026, 10, 20), dt.date(2026, 10, 31), dt.date(2026, 11, 11), dt.date(2026, 11, 12))
    start, end = domain.baseline_window(phases)
    assert (end - start).days + 1 == phases.days == 24
    assert start.weekday() == phases.warmup_start.weekday() and end < phases.warmup_start
    assert (phases.warmup_start - start).days % 7 == 0
    assert domain.incremental_gmv(500, 300, post_fen=200, post_baseline_fen=300) == {"gross": 200, "net": 100}


def test_the_draw_is_reproducible():
    prizes = [{"name": "A", "value_fen": 100_000, "count": 1}, {"name": "B", "value_fen": 5_000, "count": 3}]
    eligible = list(range(1, 40))
    first = domain.draw(seed="s1", eligible=eligible, prizes=prizes)
    assert first == domain.draw(seed="s1", eligible=list(reversed(eligible)), prizes=prizes)
    assert first != domain.draw(seed="s2", eligible=eligible, prizes=prizes)
    assert len({w["customer_id"] for w in first}) == 4 and first[0]["prize"] == "A"
    assert domain.draw(seed="s1", eligible=[7, 8], prizes=prizes)[0]["prize"] == "A"  # fewer buyers than prizes
    assert domain.eligible_hash([3, 1, 2]) == domain.eligible_hash([1, 2, 3, 3])


def test_recorded_draw_can_be_replayed(shop, d11, user_of):
    lottery = services.lottery_create(campaign=d11, data={
        "name": "晒单抽奖", "min_paid": "200.00",
        "prizes": [{"name": "一等奖", "value": "50000.00", "count": 1}, {"name": "二等奖", "value": "99.00", "count": 5}]})
    drawn = services.lottery_draw(lottery=lottery, seed="abc", actor=user_of("operator"))
    eligible = lottery_eligible(campaign=d11, min_paid_fen=20_000)
    assert drawn.eligible_count == len(eligible) > 6 and drawn.eligible_hash == domain.eligible_hash(eligible)
    replay = domain.draw(seed="abc", eligible=eligible, prizes=drawn.prizes)
    assert [w["customer_id"] for w in drawn.winners] == [w["customer_id"] for w in replay]
    assert all(eligible[w["customer_id"]]["paid_fen"] >= 20_000 for w in drawn.winners)
    with pytest.raises(Conflict):
        services.lottery_draw(lottery=drawn, seed="other")


@pytest.mark.parametrize(("value", "ok"), [("50000.00", True), ("50000.01", False)])
def test_no_prize_above_50000_yuan(shop, d11, value, ok):
    """《反不正当竞争法》 art. 10 / 《规范促销行为暂行规定》: a lottery's top prize is at most ¥50,000
    (docs/rules/campaigns.md#lottery-prize-cap)."""
    data = {"name": "大奖", "prizes": [{"name": "车", "value": value, "count": 1}]}
    if ok:
        assert services.lottery_create(campaign=d11, data=data).prizes[0]["value_fen"] == 5_000_000
    else:
        with pytest.raises(InvalidInput) as exc:
            services.lottery_create(campaign=d11, data=data)
        assert [e.field for e in exc.value.errors] == ["prizes[0].value"]


def test_lottery_api(api_as, d11):
    client = api_as("operator")
    bad = client.post(f"/api/v1/campaigns/{d11.pk}/lotteries",
                      {"name": "x", "prizes": [{"name": "车", "value": "80000.00", "count": 1}]},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "prizes[0].value"
    made = client.post(f"/api/v1/campaigns/{d11.pk}/lotteries",
                       {"name": "x", "min_paid": "100.00", "prizes": [{"name": "券", "value": "10.00", "count": 2}]},
                       content_type="application/json")
    assert made.status_code == 201
    url = f"/api/v1/campaigns/{d11.pk}/lotteries/{made.json()['id']}/draw"
    drawn = client.post(url, {"seed": "42"}, content_type="application/json").json()
    assert drawn["seed"] == "42" and len(drawn["winners"]) == 2 and drawn["winners"][0]["customer"]
    assert client.post(url, {}, content_type="application/json").status_code == 409
    assert api_as("ads").post(url, {}, content_type="application/json").status_code == 403


def test_demo_seed_builds_a_reviewed_past_campaign_and_a_simulated_upcoming_one(shop):
    first = campaigns_demo_seed(shop=shop, end_date=END)
    assert campaigns_demo_seed(shop=shop, end_date=END) == first  # idempotent
    past, upcoming = Campaign.objects.get(pk=first["past"]), Campaign.objects.get(pk=first["upcoming"])
    assert past.name == "双11 2026" and str(past.warmup_start) == "2026-10-20" and past.return_end <= END
    assert past.review["complete"] and parse_fen(past.review["kpis"]["gmv"]) > 0
    assert past.review["kpis"]["gmv"] == campaign_review(campaign=past)["kpis"]["gmv"]
    assert past.lotteries.get().drawn_at is not None
    assert upcoming.name == "双12 2026" and upcoming.warmup_start > END
    assert upcoming.simulation["skus"] > 0 and upcoming.simulation["rows"]
    counts = upcoming.simulation["flag_counts"]
    assert counts["reference_price"] >= 1 and counts["below_floor"] >= 1  # the demo's two planted risks
    assert upcoming.checklist.count() == 4
    assert TodoItem.objects.filter(shop=shop, source="campaign", key__startswith=f"{upcoming.pk}:",
                                   status="open").count() == 4


def _run(*args):
    out = io.StringIO()
    call_command("campaign", *args, stdout=out)
    return out.getvalue()


def test_cli_simulate_and_review(d11, tmp_path):
    services.campaign_save(shop=d11.shop, data={"skus": ["SCBD101-01", "SCBD103-01"]}, campaign=d11)
    sim = json.loads(_run("simulate", str(d11.pk), "--json"))
    assert set(sim) >= {"campaign", "skus", "scenarios", "flag_counts", "parameters", "rows"}
    assert sim["skus"] == 2 and set(sim["rows"][0]) >= {"sku", "worst_unit_pay", "margin", "flags", "risk"}
    assert "SCBD" in _run("simulate", str(d11.pk))
    xlsx = tmp_path / "review.xlsx"
    review = json.loads(_run("review", str(d11.pk), "--json", "--xlsx", str(xlsx)))
    assert set(review) >= {"kpis", "baseline", "incremental_gmv", "goals", "lessons", "ads", "traffic"}
    from openpyxl import load_workbook

    assert load_workbook(xlsx).sheetnames == ["summary", "daily", "channels", "skus", "mechanics", "lessons"]
    assert str(d11.pk) in _run("list")


@pytest.mark.parametrize("args", [("simulate", "999999"), ("review",), ("simulate", "0")])
def test_cli_bad_input_exits_2(db, args):
    with pytest.raises(CommandError) as exc:
        _run(*args)
    assert exc.value.returncode == 2


def test_cli_without_an_install_exits_2(tmp_path):
    from tests.cli.test_cli import run

    result = run("campaign", "simulate", "1", "--json", data_dir=tmp_path)
    assert result.returncode == 2
