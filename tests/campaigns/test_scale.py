"""Campaign review, simulation and lottery at any size: no query binds one variable per order, line, buyer or
SKU. A campaign with more orders, lines, buyers and SKUs than SQLite may bind in one statement (the test
lowers the connection's SQLITE_LIMIT_VARIABLE_NUMBER to 999 so a small shop shows it) works through the
selectors, the API, the pages, their xlsx exports and the CLI, and its numbers are the direct order sums."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import sqlite3
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Min, Sum
from openpyxl import load_workbook

from shopops.campaigns import services
from shopops.campaigns.analysis import campaign_review, campaign_simulation, history, lottery_eligible
from shopops.catalog.models import Category, Product, Sku
from shopops.channels.models import ChannelAccount
from shopops.core.money import format_fen, parse_fen
from shopops.members.models import Customer
from shopops.orders.models import Order, OrderLine

LIMIT = 999  # SQLite's historic default; the test connection is lowered to it
TZ = ZoneInfo("Asia/Shanghai")
N_SKUS = 1_100
N_CUSTOMERS = 1_500
WARMUP, MAIN_START, MAIN_END, RETURN_END = (dt.date(2025, 5, 1), dt.date(2025, 5, 5), dt.date(2025, 5, 10),
                                            dt.date(2025, 5, 12))
LABELS = (["规模 单品直降"], ["规模 单品直降", "规模 满减"], [], ["规模 满减"])
# (first day, days, orders per day): older history, the baseline and reference window, the campaign, after it
SPANS = ((dt.date(2025, 2, 1), 30, 5), (dt.date(2025, 4, 15), 16, 70), (WARMUP, 12, 100), (dt.date(2025, 5, 13), 12, 10))


def _build(shop) -> dict:
    """Orders, lines, buyers and SKUs of a shop at scale, by bulk inserts (consistent amounts, a few list-price
    markdowns, refunds, shipping and promotion labels; payments near local midnight)."""
    accounts = list(ChannelAccount.objects.filter(shop=shop).order_by("id")[:3])
    category = Category.objects.create(shop=shop, code="scale", name="规模")
    products = Product.objects.bulk_create([Product(shop=shop, spu_code=f"SCALE-P{p:02d}", title=f"规模商品 {p}",
                                                    category=category) for p in range(11)])
    skus = Sku.objects.bulk_create([
        Sku(shop=shop, product=products[k % 11], sku_code=f"SCALE-{k:04d}", price_fen=5_000 + (k % 20) * 1_000,
            cost_fen=(5_000 + (k % 20) * 1_000) * (9 if k % 10 == 0 else 4) // 10) for k in range(N_SKUS)])
    customers = Customer.objects.bulk_create([
        Customer(shop=shop, code=f"SCALE-C{c:05d}", name=f"买家{c}", created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        for c in range(N_CUSTOMERS)])
    orders, lines_of = [], []
    j = 0
    for first, days, per_day in SPANS:
        for d in range(days):
            day = first + dt.timedelta(days=d)
            for i in range(per_day):
                j += 1
                minute = (i * 37) % 1440
                if i == 0:
                    minute = 0  # on local midnight: the business date starts here
                elif i == 1:
                    minute = 1439
                paid_at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=TZ)
                lines = []
                for n in range(1 + j % 3):
                    sku = skus[(j * 31 + n * 17) % N_SKUS]
                    qty = 1 + (j + n) % 2
                    unit = sku.price_fen - (500 if j % 4 == 0 else 0)
                    amount = unit * qty
                    discount = min(amount, 300 * (j % 3))
                    lines.append({"sku": sku, "title": sku.sku_code, "unit_price_fen": unit, "qty": qty,
                                  "amount_fen": amount, "discount_fen": discount, "paid_fen": amount - discount})
                goods = sum(x["amount_fen"] for x in lines)
                discount = sum(x["discount_fen"] for x in lines)
                shipping = 600 if j % 5 == 0 else 0
                account = accounts[j % len(accounts)]
                paid = goods - discount + shipping
                orders.append(Order(
                    shop=shop, channel_account=account, channel=account.channel, order_no=f"SCALE-{j}",
                    customer=customers[(j * 7919) % N_CUSTOMERS], placed_at=paid_at, paid_at=paid_at, paid_date=day,
                    goods_fen=goods, discount_fen=discount, shipping_fen=shipping, paid_fen=paid,
                    refunded_fen=min(paid, 1_000) if j % 13 == 0 else 0, promotions=LABELS[j % 4]))
                lines_of.append(lines)
    orders = Order.objects.bulk_create(orders)
    OrderLine.objects.bulk_create([OrderLine(shop=shop, order=order, **line)
                                   for order, lines in zip(orders, lines_of, strict=True) for line in lines])
    return {"skus": [s.sku_code for s in skus]}


@pytest.fixture
def scale(shop):
    data = _build(shop)
    campaign = services.campaign_save(shop=shop, data={
        "name": "规模大促", "warmup_start": WARMUP.isoformat(), "main_start": MAIN_START.isoformat(),
        "main_end": MAIN_END.isoformat(), "return_end": RETURN_END.isoformat(), "channels": ["tmall", "jd"],
        "goals": {"gmv": "100000.00", "new_buyers": 300}, "skus": data["skus"],
        "promotions": [{"id": "item", "name": "规模 单品直降", "type": "item_discount", "percent_off": 15},
                       {"id": "full", "name": "规模 满减", "type": "threshold_off", "level": "shop",
                        "tiers": [{"threshold": "200.00", "off": "20.00"}]}]})
    return campaign


@contextlib.contextmanager
def _variable_limit(limit: int):
    """SQLite: this connection binds at most ``limit`` variables per statement (other databases: unchanged)."""
    connection.ensure_connection()
    if connection.vendor != "sqlite":
        yield
        return
    raw = connection.connection
    before = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    # The limit is checked when a statement is prepared: push the statements prepared before (the driver keeps
    # the last 128) out of the connection's cache, so each one is prepared again under the limit.
    for n in range(512):
        raw.execute(f"SELECT {n}").fetchall()
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


@contextlib.contextmanager
def _largest_binding():
    """The most parameters any statement bound meanwhile: ``seen[0]``."""
    seen = [0]

    def wrapper(execute, sql, params, many, context):
        if params and not many:
            seen[0] = max(seen[0], len(params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def _period_sums(shop, start, end) -> dict:
    orders = Order.objects.filter(shop=shop, paid_date__range=(start, end))
    return orders.aggregate(gmv=Sum("paid_fen"), n=Count("id"), buyers=Count("customer_id", distinct=True),
                            discount=Sum("discount_fen"), refunded=Sum("refunded_fen"))


def test_the_dataset_exceeds_the_limit(shop, scale):
    """Each kind of id the review and the simulation read outnumbers what one statement may bind."""
    period = Order.objects.filter(shop=shop, paid_date__range=(WARMUP, RETURN_END))
    assert period.count() > LIMIT and period.values("customer_id").distinct().count() > LIMIT
    assert OrderLine.objects.filter(order__in=period).count() > LIMIT
    history = Order.objects.filter(shop=shop, paid_date__range=(WARMUP - dt.timedelta(days=90), WARMUP))
    assert history.count() > LIMIT and scale.skus.count() == N_SKUS > LIMIT


def test_no_statement_binds_a_variable_per_row(shop, scale):
    """On every database: the review, the simulation and the lottery's eligible list bind a handful of
    parameters per statement, whatever the number of orders, lines, buyers and SKUs."""
    with _largest_binding() as seen:
        campaign_review(campaign=scale)
        campaign_simulation(campaign=scale)
        lottery_eligible(campaign=scale, min_paid_fen=10_000)
    assert seen[0] < 50


def test_review_at_scale_is_the_order_sums(shop, scale):
    with _variable_limit(LIMIT):
        report = campaign_review(campaign=scale)
    totals = _period_sums(shop, WARMUP, RETURN_END)
    k = report["kpis"]
    assert parse_fen(k["gmv"]) == totals["gmv"] and (k["orders"], k["buyers"]) == (totals["n"], totals["buyers"])
    assert parse_fen(k["promotion_cost"]) == totals["discount"] and parse_fen(k["refunded"]) == totals["refunded"]
    firsts = {r["customer_id"]: r["first"].astimezone(TZ).date()
              for r in Order.objects.filter(shop=shop).values("customer_id").annotate(first=Min("paid_at"))}
    buyers = set(Order.objects.filter(shop=shop, paid_date__range=(WARMUP, RETURN_END))
                 .values_list("customer_id", flat=True))
    new = {c for c in buyers if WARMUP <= firsts[c] <= RETURN_END}
    assert 0 < k["new_buyers"] == len(new) < k["buyers"]
    base_start, base_end = (dt.date.fromisoformat(x) for x in report["baseline_period"])
    base = _period_sums(shop, base_start, base_end)
    assert parse_fen(report["baseline"]["gmv"]) == base["gmv"] and report["baseline"]["buyers"] == base["buyers"]
    post = _period_sums(shop, RETURN_END + dt.timedelta(days=1), RETURN_END + dt.timedelta(days=12))
    assert parse_fen(report["incremental_gmv"]["net"], allow_negative=True) == totals["gmv"] - base["gmv"] + post["gmv"] - base["gmv"]
    daily = dict(Order.objects.filter(shop=shop, paid_date__range=(WARMUP, RETURN_END)).values_list("paid_date")
                 .annotate(Sum("paid_fen")))
    assert {d["date"]: parse_fen(d["gmv"]) for d in report["daily"]} == {k.isoformat(): v for k, v in daily.items()}
    lines = OrderLine.objects.filter(order__shop=shop, order__paid_date__range=(WARMUP, RETURN_END))
    per_sku = {r["sku__sku_code"]: r for r in lines.values("sku__sku_code").annotate(gmv=Sum("paid_fen"),
                                                                                      qty=Sum("qty"))}
    assert len(per_sku) > 50 and len(report["skus"]) == 50
    for row in report["skus"]:
        assert (parse_fen(row["gmv"]), row["qty"]) == (per_sku[row["sku"]]["gmv"], per_sku[row["sku"]]["qty"])
    markdown = sum((line.sku.price_fen - line.unit_price_fen) * line.qty for line in lines.select_related("sku")
                   if line.sku.price_fen > line.unit_price_fen)
    assert parse_fen(report["item_markdown"]) == markdown > 0
    labels: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for promotions, paid in Order.objects.filter(shop=shop, paid_date__range=(WARMUP, RETURN_END)).values_list(
            "promotions", "paid_fen"):
        for label in promotions:
            labels[label][0] += 1
            labels[label][1] += paid
    assert {m["label"]: [m["orders"], parse_fen(m["gmv"])] for m in report["mechanics"]} == labels
    assert {m["label"]: m["promotion"] for m in report["mechanics"]} == {"规模 单品直降": "item", "规模 满减": "full"}


def test_history_is_every_line_in_payment_order(shop, scale):
    """The simulation's history: the period's lines as the ORM reads them, ordered by paid_at, order and line
    (the dataset's ids are not in payment order)."""
    start, end = WARMUP - dt.timedelta(days=90), WARMUP - dt.timedelta(days=1)
    with _variable_limit(LIMIT):
        hist = history(shop=shop, start=start, end=end)
    expected = list(OrderLine.objects.filter(order__shop=shop, order__paid_date__range=(start, end))
                    .order_by("order__paid_at", "order_id", "id")
                    .values_list("order_id", "order__paid_at", "order__paid_date", "sku__sku_code", "qty",
                                 "unit_price_fen", "amount_fen", "discount_fen", "paid_fen"))
    ids = [row[0] for row in expected]
    assert len(expected) > LIMIT and ids != sorted(ids)
    got = list(zip(hist.order_id.tolist(), hist.paid_at, hist.paid_date, hist.sku.tolist(), hist.qty.tolist(),
                   hist.unit_price.tolist(), hist.amount.tolist(), hist.discount.tolist(), hist.paid.tolist(),
                   strict=True))
    assert got == expected and all(at.utcoffset() == dt.timedelta(0) for at in hist.paid_at)


def test_simulation_and_lottery_at_scale(shop, scale):
    with _variable_limit(LIMIT):
        report = campaign_simulation(campaign=scale)
        eligible = lottery_eligible(campaign=scale, min_paid_fen=10_000)
    assert report["skus"] == len(report["rows"]) == N_SKUS and report["missing_skus"] == []
    # The reference price of a SKU: its lowest paid price per unit in the 7 days before the warm-up.
    window = OrderLine.objects.filter(order__shop=shop, order__paid_date__range=(WARMUP - dt.timedelta(days=7),
                                                                                 WARMUP - dt.timedelta(days=1)))
    lowest: dict[str, int] = {}
    for code, paid, qty in window.values_list("sku__sku_code", "paid_fen", "qty"):
        lowest[code] = min(lowest.get(code, paid // qty), paid // qty)
    refs = {row["sku"]: row["reference_price"] for row in report["rows"]}
    assert len(lowest) > 100 and all(refs[code] == format_fen(price) for code, price in lowest.items())
    paid = defaultdict(int)
    for customer, amount in Order.objects.filter(shop=shop, paid_date__range=(WARMUP, RETURN_END)).values_list(
            "customer_id", "paid_fen"):
        paid[customer] += amount
    assert {c: row["paid_fen"] for c, row in eligible.items()} == {c: v for c, v in paid.items() if v >= 10_000}
    assert len(eligible) > LIMIT // 2 and all(row["code"].startswith("SCALE-C") for row in eligible.values())


def test_api_pages_exports_and_cli_at_scale(shop, scale, api_as, client_as, tmp_path):
    pk = scale.pk
    with _variable_limit(LIMIT):
        review = api_as("operator").get(f"/api/v1/campaigns/{pk}/review")
        simulate = api_as("operator").get(f"/api/v1/campaigns/{pk}/simulate?limit=5000")
        browser = client_as("operator")
        pages = {url: browser.get(url) for url in (
            f"/campaigns/{pk}/review/", f"/campaigns/{pk}/review/?export=xlsx",
            f"/campaigns/{pk}/simulate/", f"/campaigns/{pk}/simulate/?export=xlsx", f"/campaigns/{pk}/",
            f"/campaigns/{pk}/lottery/", "/campaigns/?export=xlsx")}
        out = io.StringIO()
        call_command("campaign", "review", str(pk), "--json", "--xlsx", str(tmp_path / "review.xlsx"), stdout=out)
        cli_review = json.loads(out.getvalue())
        out = io.StringIO()
        call_command("campaign", "simulate", str(pk), "--json", stdout=out)
        cli_simulate = json.loads(out.getvalue())
        codes = [row.sku_code for row in scale.skus.all()]
        saved = api_as("operator").patch(f"/api/v1/campaigns/{pk}", {"skus": [{"sku": code, "floor": "10.00"}
                                                                              for code in codes]},
                                         content_type="application/json")
        lottery = services.lottery_create(campaign=scale, data={
            "name": "规模抽奖", "min_paid": "100.00", "prizes": [{"name": "券", "value": "10.00", "count": 3}]})
        drawn = services.lottery_draw(lottery=lottery, seed="s")
    assert review.status_code == 200 and simulate.status_code == 200
    assert saved.status_code == 200 and len(saved.json()["skus"]) == N_SKUS
    assert {row["floor"] for row in saved.json()["skus"]} == {"10.00"}
    assert all(response.status_code == 200 for response in pages.values()), {u: r.status_code for u, r in pages.items()}
    assert review.json()["kpis"] == cli_review["kpis"] and review.json()["kpis"]["orders"] > LIMIT
    assert len(simulate.json()["rows"]) == len(cli_simulate["rows"]) == N_SKUS
    assert simulate.json()["rows"] == cli_simulate["rows"]
    sheet = load_workbook(io.BytesIO(pages[f"/campaigns/{pk}/simulate/?export=xlsx"].content)).active
    assert sheet.max_row == N_SKUS + 1
    assert load_workbook(tmp_path / "review.xlsx").sheetnames[0] == "summary"
    assert drawn.eligible_count > LIMIT // 2 and len(drawn.winners) == 3
