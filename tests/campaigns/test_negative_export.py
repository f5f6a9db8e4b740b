"""The campaign xlsx exports write money as numbers, negative ones included (a margin below cost, a campaign
that sold less than its baseline), formatted like every money cell; text that looks like a number (a SKU code,
a promotion label) stays text."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from shopops.campaigns import services
from shopops.campaigns.analysis import campaign_review, campaign_simulation
from shopops.catalog.models import Category, Product, Sku
from shopops.catalog.selectors import skus_by_code
from shopops.channels.models import ChannelAccount
from shopops.members.models import Customer
from shopops.orders.models import Order, OrderLine

MONEY_FORMAT = "#,##0.00"


@pytest.fixture
def losing(shop):
    """A plan whose 90 % off sells every SKU in scope below cost."""
    codes = sorted(skus_by_code(shop=shop))[:5]
    return services.campaign_save(shop=shop, data={
        "name": "清仓", "warmup_start": "2026-12-01", "main_start": "2026-12-02", "main_end": "2026-12-03",
        "return_end": "2026-12-04", "channels": ["tmall"], "skus": codes,
        "promotions": [{"id": "dump", "name": "一折", "type": "item_discount", "percent_off": 90}]})


def _number(cell) -> Decimal:
    """A cell's number as the Decimal money it was written as (xlsx keeps binary doubles)."""
    assert isinstance(cell.value, int | float), cell.value
    return Decimal(repr(cell.value)).quantize(Decimal("0.01"))


def _rows(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows())


def test_simulation_xlsx_writes_negative_margins_as_numbers(client_as, losing):
    report = campaign_simulation(campaign=losing)
    margins = {row["sku"]: Decimal(row["margin"]) for row in report["rows"]}
    assert all(margin < 0 for margin in margins.values())
    response = client_as("operator").get(f"/campaigns/{losing.pk}/simulate/?export=xlsx")
    assert response.status_code == 200
    header, *rows = _rows(response.content)
    assert len(rows) == len(margins) == 5
    for row in rows:
        margin = row[6]  # sku, title, list price, worst-case pay, floor, lowest recent price, margin, rate, flags
        assert _number(margin) == margins[row[0].value] < 0 and margin.number_format == MONEY_FORMAT
        assert _number(row[2]) > 0 and row[2].number_format == MONEY_FORMAT
    # Without the right to see costs: no margin column, and the export still works.
    viewer = client_as("viewer").get(f"/campaigns/{losing.pk}/simulate/?export=xlsx")
    assert viewer.status_code == 200 and len(_rows(viewer.content)[0]) == 7


@pytest.fixture
def quiet(shop):
    """A campaign after the demo's last day: one order (a SKU code and a label that look like numbers) against
    a busy baseline, so incremental GMV is negative."""
    account = ChannelAccount.objects.filter(shop=shop, channel="tmall").first()
    category = Category.objects.create(shop=shop, code="num", name="数字")
    product = Product.objects.create(shop=shop, spu_code="2026.11", title="11.11", category=category)
    sku = Sku.objects.create(shop=shop, product=product, sku_code="1111.10", price_fen=10_000, cost_fen=4_000)
    customer = Customer.objects.create(shop=shop, code="NUM-1", name="数字买家",
                                       created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    paid_at = dt.datetime(2026, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    order = Order.objects.create(shop=shop, channel_account=account, channel="tmall", order_no="NUM-1",
                                 customer=customer, placed_at=paid_at, paid_at=paid_at, paid_date=paid_at.date(),
                                 goods_fen=10_000, discount_fen=0, paid_fen=10_000, promotions=["11.11"])
    OrderLine.objects.create(shop=shop, order=order, sku=sku, title="11.11", unit_price_fen=10_000, qty=1,
                             amount_fen=10_000, paid_fen=10_000)
    return services.campaign_save(shop=shop, data={
        "name": "淡季", "warmup_start": "2026-11-21", "main_start": "2026-11-22", "main_end": "2026-11-22",
        "return_end": "2026-11-23", "channels": ["tmall"]})


def _sheet_dicts(workbook, name: str) -> list[dict]:
    header, *rows = list(workbook[name].iter_rows())
    return [{h.value: cell for h, cell in zip(header, row, strict=True)} for row in rows]


def test_review_xlsx_writes_negative_money_as_numbers_and_keeps_text(client_as, quiet, tmp_path):
    report = campaign_review(campaign=quiet)
    gross = Decimal(report["incremental_gmv"]["gross"])
    assert gross < 0
    response = client_as("operator").get(f"/campaigns/{quiet.pk}/review/?export=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    summary = {row[0].value: row[1:] for row in workbook["summary"].iter_rows(min_row=2)}
    assert _number(summary["incremental_gmv"][0]) == gross and summary["incremental_gmv"][0].number_format == MONEY_FORMAT
    assert _number(summary["gmv"][0]) == Decimal("100.00") and summary["gmv"][0].number_format == MONEY_FORMAT
    assert summary["orders"][0].value == 1 and summary["goal_new_buyers"][1].value == report["goals"]["new_buyers"][
        "actual"]
    channels = _sheet_dicts(workbook, "channels")
    tmall = next(row for row in channels if row["channel"].value == "tmall")
    assert _number(tmall["incremental"]) < 0 and tmall["incremental"].number_format == MONEY_FORMAT
    assert tmall["share"].number_format != MONEY_FORMAT  # a rate, not money
    skus = _sheet_dicts(workbook, "skus")
    assert [(row["sku"].value, row["title"].value, _number(row["gmv"])) for row in skus] == [
        ("1111.10", "11.11", Decimal("100.00"))]
    mechanics = _sheet_dicts(workbook, "mechanics")
    assert [row["label"].value for row in mechanics] == ["11.11"]
    lessons = _sheet_dicts(workbook, "lessons")
    incremental = next(row for row in lessons if row["code"].value == "incremental")
    assert _number(incremental["amount"]) == gross and incremental["amount"].number_format == MONEY_FORMAT
    # The CLI writes the same workbook.
    call_command("campaign", "review", str(quiet.pk), "--xlsx", str(tmp_path / "r.xlsx"), stdout=io.StringIO())
    cli = load_workbook(tmp_path / "r.xlsx")
    assert [[c.value for c in row] for row in cli["summary"].iter_rows()] == [
        [c.value for c in row] for row in workbook["summary"].iter_rows()]
